#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "consumer/consumer_settings.hpp"
#include "consumer/outcome.hpp"

namespace choreo::consumer {

// How one message is settled with JetStream once its batch is committed.
struct Settlement {
  enum class Action { ack, nak, term };
  Action action = Action::ack;
  std::chrono::milliseconds delay{0};  // for nak
  bool dead_letter = false;            // a tb_dead_letter row goes with it
  std::string reason;
};

// The rule, in one place: a done event is acked; a failed attempt is redelivered after the
// backoff for its attempt number until it reaches max_deliver, and then dead-lettered; a handler's
// dead-letter verdict is final at once.
Settlement settle(const Outcome& outcome, std::uint64_t attempt, const RetryPolicy& policy);

// A message delivered more often than max_deliver without ever being settled: earlier attempts
// crashed or hung the process. Dead-letter it before running the handler again.
bool exceeded_deliveries(std::uint64_t attempt, const RetryPolicy& policy);

}  // namespace choreo::consumer
