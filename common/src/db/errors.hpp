#pragma once

#include <exception>
#include <string>

namespace choreo::db {

// Decides once, at the edge, what a database failure means for the caller: a transient one
// (server unreachable, restarting, overloaded, serialization conflict, deadlock, pool exhausted)
// is worth retrying later; anything else is a bug or bad data and is not retried blindly.
bool is_transient(const std::exception& error);

// A one-line description without SQL text or parameters (safe to log and to store).
std::string describe(const std::exception& error);

// Whether the connection that raised `error` should be discarded instead of reused.
bool breaks_connection(const std::exception& error);

}  // namespace choreo::db
