#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "bus/consumer_state_json.hpp"
#include "bus/jetstream.hpp"

namespace choreo::ctl::inspect {

// The durables of the stream as `nats consumer report events` shows them: per durable its
// filter, unprocessed messages (pending), ack-pending against its limit, redeliveries, waiting
// pull requests and how long ago it last delivered. `now_ns` (UTC, ns since the epoch) is what
// "ago" counts from.
void print_consumer_table(const std::vector<bus::ConsumerState>& consumers, std::int64_t now_ns,
                          std::ostream& out);

}  // namespace choreo::ctl::inspect
