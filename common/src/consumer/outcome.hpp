#pragma once

#include <functional>
#include <string>

namespace choreo::consumer {

// What a handler decided about one event. The runtime maps it to the transport: done -> ack
// after commit; retry -> nak with the configured backoff (or a dead letter once MAX_DELIVER is
// reached); dead_letter -> a tb_dead_letter row and term.
struct Outcome {
  // duplicate: the event's effect was already there (a handler with its own natural key found
  // it); acknowledged like done, counted apart.
  enum class Kind { done, duplicate, retry, dead_letter };

  Kind kind = Kind::done;
  std::string reason;  // why, for retry and dead_letter (stored, so no secrets)
  // Runs only after the batch committed (e.g. an alert that must not fire for rolled-back work).
  std::function<void()> after_commit;

  static Outcome done() { return {}; }
  static Outcome duplicate() { return {Kind::duplicate, {}, {}}; }
  static Outcome retry(std::string why) { return {Kind::retry, std::move(why), {}}; }
  static Outcome dead_letter(std::string why) { return {Kind::dead_letter, std::move(why), {}}; }
};

}  // namespace choreo::consumer
