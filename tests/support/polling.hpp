#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace choreo::testing {

// Polls `condition` every `interval` until it holds or `timeout` passes; returns whether it held.
// Tests poll for conditions instead of sleeping for a fixed time.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(30),
                std::chrono::milliseconds interval = std::chrono::milliseconds(50));

// A fresh unique token ([0-9_] only, so it fits identifiers, subjects, durable and channel
// names) for names that must not collide across runs against one database.
std::string unique_suffix();

}  // namespace choreo::testing
