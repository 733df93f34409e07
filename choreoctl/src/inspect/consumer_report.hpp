#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "bus/jetstream.hpp"

namespace choreo::ctl::inspect {

// The durables of the stream as `nats consumer report events` shows them: per durable its
// filter, unprocessed messages (pending), ack-pending against its limit, redeliveries, waiting
// pull requests and how long ago it last delivered. `now_ns` (UTC, ns since the epoch) is what
// "ago" counts from.
void print_consumer_table(const std::vector<bus::ConsumerState>& consumers, std::int64_t now_ns,
                          std::ostream& out);

// One durable as a JSON object: every field of the table, times as ISO-8601 and as seconds ago.
nlohmann::ordered_json consumer_json(const bus::ConsumerState& consumer, std::int64_t now_ns);

}  // namespace choreo::ctl::inspect
