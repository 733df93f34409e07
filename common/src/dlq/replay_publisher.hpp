#pragma once

#include <chrono>

#include "bus/jetstream.hpp"
#include "dlq/replay_plan.hpp"

namespace choreo::dlq {

// Publishes `message` with all its headers and waits for the stream's acknowledgement.
// JetStreamClient::publish sets only Nats-Msg-Id; a replay also needs Choreo-Event-Id, so this
// builds the message itself on the client's JetStream context.
bus::PublishOutcome publish_replay(bus::JetStreamClient& bus, const ReplayMessage& message,
                                   std::chrono::milliseconds connect_timeout);

}  // namespace choreo::dlq
