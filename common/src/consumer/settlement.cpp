#include "consumer/settlement.hpp"

namespace choreo::consumer {

Settlement settle(const Outcome& outcome, std::uint64_t attempt, const RetryPolicy& policy) {
  Settlement settlement;
  switch (outcome.kind) {
    case Outcome::Kind::done:
    case Outcome::Kind::duplicate:
      settlement.action = Settlement::Action::ack;
      return settlement;
    case Outcome::Kind::dead_letter:
      settlement.action = Settlement::Action::term;
      settlement.dead_letter = true;
      settlement.reason = outcome.reason;
      return settlement;
    case Outcome::Kind::retry:
      if (attempt >= static_cast<std::uint64_t>(policy.max_deliver)) {
        settlement.action = Settlement::Action::term;
        settlement.dead_letter = true;
        settlement.reason = "gave up after " + std::to_string(attempt) +
                            " attempts (MAX_DELIVER=" + std::to_string(policy.max_deliver) +
                            "): " + outcome.reason;
      } else {
        settlement.action = Settlement::Action::nak;
        settlement.delay = policy.delay_after(attempt);
        settlement.reason = outcome.reason;
      }
      return settlement;
  }
  return settlement;
}

bool exceeded_deliveries(std::uint64_t attempt, const RetryPolicy& policy) {
  return attempt > static_cast<std::uint64_t>(policy.max_deliver);
}

}  // namespace choreo::consumer
