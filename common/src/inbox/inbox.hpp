#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "db/connection_pool.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::inbox {

// The inbox: a (consumer, event id) row written in the same transaction as the consumer's effect.
// A redelivered event finds its row and is acknowledged without repeating the effect.

// Statements every pooled connection of a consuming service prepares.
std::vector<db::PreparedStatement> prepared_statements();

// One event to claim, with the delivery that handles it: the row keeps the count, which the
// operator's timeline shows (`choreoctl order`: "handled by payment_processors after 3
// deliveries").
struct Claim {
  std::string event_id;
  std::uint64_t deliveries = 1;
};

// Records the event as processed by `consumer`; false when it already was (a repeat).
// Concurrent claims of one event serialize on the primary key: the loser waits for the winner's
// commit and then sees the row.
bool claim(pqxx::transaction_base& tx, std::string_view consumer, const Claim& event);

// claim() for a whole batch in one statement: returns the ids that were new (each once, however
// often it occurs in `events`); every other id is a repeat.
std::unordered_set<std::string> claim_all(pqxx::transaction_base& tx, std::string_view consumer,
                                          const std::vector<Claim>& events);

// Deletes up to `limit` of `consumer`'s rows older than `retention`; returns how many. Bounded, so
// a backlog of old rows is cleared over several calls instead of one long-locking statement.
// The retention must outlast any redelivery (ACK_WAIT, retries): after it, a repeat is caught
// only by the effect's own per-order uniqueness.
long prune(pqxx::transaction_base& tx, std::string_view consumer, std::chrono::hours retention,
           int limit = 10000);

}  // namespace choreo::inbox
