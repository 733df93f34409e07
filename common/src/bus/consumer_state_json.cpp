#include "bus/consumer_state_json.hpp"

#include <algorithm>

#include "runtime/time_text.hpp"

namespace choreo::bus {

nlohmann::ordered_json consumer_json(const ConsumerState& consumer, std::int64_t now_ns) {
  const auto seconds_ago = [now_ns](std::int64_t then_ns) -> nlohmann::ordered_json {
    if (then_ns <= 0)
      return nullptr;
    return std::max(0.0, static_cast<double>(now_ns - then_ns) / 1e9);
  };
  const auto time_or_null = [](std::int64_t ns) -> nlohmann::ordered_json {
    if (ns <= 0)
      return nullptr;
    return runtime::iso_time_from_ns(ns);
  };
  nlohmann::ordered_json json;
  json["name"] = consumer.name;
  json["filter_subject"] = consumer.filter_subject;
  json["num_pending"] = consumer.num_pending;
  json["num_ack_pending"] = consumer.num_ack_pending;
  json["max_ack_pending"] = consumer.max_ack_pending;
  json["num_redelivered"] = consumer.num_redelivered;
  json["num_waiting"] = consumer.num_waiting;
  json["delivered_stream_seq"] = consumer.delivered_stream_sequence;
  json["ack_floor_stream_seq"] = consumer.ack_floor_stream_sequence;
  json["last_delivered"] = time_or_null(consumer.last_delivered_ns);
  json["last_delivered_seconds_ago"] = seconds_ago(consumer.last_delivered_ns);
  json["last_acked"] = time_or_null(consumer.last_acked_ns);
  return json;
}

}  // namespace choreo::bus
