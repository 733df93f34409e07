#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "bus/jetstream.hpp"

namespace choreo::bus {

// One durable as the operator's tools show it (`choreoctl consumers --json`, `status --json`,
// the event monitor's operator API): its name, filter, pending, ack-pending against its limit,
// redelivered, waiting pulls, stream positions and last activity, as ISO-8601 times and seconds
// before `now_ns` (UTC, ns since the epoch). One definition, so every tool names them alike.
nlohmann::ordered_json consumer_json(const ConsumerState& consumer, std::int64_t now_ns);

}  // namespace choreo::bus
