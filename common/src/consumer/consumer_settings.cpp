#include "consumer/consumer_settings.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "config/env.hpp"

namespace choreo::consumer {

std::chrono::milliseconds RetryPolicy::delay_after(std::uint64_t attempt) const {
  if (backoff.empty())
    return std::chrono::seconds(1);
  const auto index = std::min<std::uint64_t>(attempt == 0 ? 0 : attempt - 1, backoff.size() - 1);
  return backoff[index];
}

ConsumerRuntimeSettings load_consumer_runtime_settings(const config::EnvReader& env,
                                                       std::string durable,
                                                       std::string filter_subject) {
  ConsumerRuntimeSettings settings;
  settings.consumer.durable = std::move(durable);
  settings.consumer.filter_subject = std::move(filter_subject);
  settings.consumer.ack_wait = env.duration_or("ACK_WAIT", settings.consumer.ack_wait);
  if (settings.consumer.ack_wait < std::chrono::milliseconds(500)) {
    throw config::ConfigError(
        "configuration: ACK_WAIT is too short; set ACK_WAIT to 500ms or more");
  }
  settings.retry.max_deliver = static_cast<int>(env.integer_or("MAX_DELIVER", 5, 1, 1000));
  settings.retry.backoff = env.durations_or("RETRY_BACKOFF", settings.retry.backoff);
  settings.batch_size = static_cast<int>(env.integer_or("CONSUMER_BATCH_SIZE", 64, 1, 1000));
  settings.fetch_wait = env.duration_or("CONSUMER_FETCH_WAIT", settings.fetch_wait);
  const auto retention = env.duration_or("INBOX_RETENTION", settings.inbox_retention);
  if (retention < std::chrono::hours(1)) {
    throw config::ConfigError("configuration: INBOX_RETENTION is too short; set it to 1h or more");
  }
  settings.inbox_retention = std::chrono::duration_cast<std::chrono::hours>(retention);
  if (env.boolean_or("CHOREO_UNSAFE_DISABLE_IDEMPOTENCY", false)) {
    spdlog::warn(
        "consumer {}: the inbox is OFF (CHOREO_UNSAFE_DISABLE_IDEMPOTENCY, test-only): "
        "redelivered events repeat their effects",
        settings.consumer.durable);
    settings.idempotency = Idempotency::disabled_for_tests;
  }
  return settings;
}

}  // namespace choreo::consumer
