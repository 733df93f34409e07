#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bus/bus_settings.hpp"

namespace choreo::config {
class EnvReader;
}

namespace choreo::consumer {

// How a consumer treats a message whose effect it cannot apply.
struct RetryPolicy {
  // Deliveries before a failing message becomes a dead letter (MAX_DELIVER).
  int max_deliver = 5;
  // Delay before the n-th redelivery after a failure: backoff[n-1], the last one repeating
  // (RETRY_BACKOFF). Production-like default; the test profile uses ~100 ms - 1 s.
  std::vector<std::chrono::milliseconds> backoff = {
      std::chrono::seconds(1), std::chrono::seconds(5), std::chrono::seconds(15),
      std::chrono::seconds(30), std::chrono::seconds(60)};

  std::chrono::milliseconds delay_after(std::uint64_t attempt) const;
};

// Where idempotency comes from.
enum class Idempotency {
  inbox,  // a tb_inbox row per (consumer, event id), in the effect's transaction
  // No inbox row: the handler's effect is already safe to repeat. The event log is keyed by the
  // event id; an order's status only moves forward, so a repeated status event is a no-op.
  by_handler,
  // None at all: CHOREO_UNSAFE_DISABLE_IDEMPOTENCY=1, a test-only switch that lets the chaos run
  // prove its checker sees the double effects this would cause. Never for real use.
  disabled_for_tests,
};

struct ConsumerRuntimeSettings {
  bus::ConsumerSettings consumer;  // durable, filter subject, ack wait
  RetryPolicy retry;
  Idempotency idempotency = Idempotency::inbox;
  int batch_size = 64;  // messages per fetch, and per transaction
  // Longest a fetch waits for the first message; a fetch returns as soon as messages are there,
  // so this bounds idle polling, not latency.
  std::chrono::milliseconds fetch_wait{500};
  // How long inbox rows are kept (INBOX_RETENTION), and how often old ones are deleted.
  std::chrono::hours inbox_retention{24 * 7};
  std::chrono::milliseconds inbox_prune_interval{std::chrono::minutes(10)};
};

// MAX_DELIVER, RETRY_BACKOFF, ACK_WAIT, CONSUMER_BATCH_SIZE, CONSUMER_FETCH_WAIT,
// INBOX_RETENTION.
ConsumerRuntimeSettings load_consumer_runtime_settings(const config::EnvReader& env,
                                                       std::string durable,
                                                       std::string filter_subject);

}  // namespace choreo::consumer
