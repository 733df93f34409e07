#include "dlq/dead_letter_json.hpp"

namespace choreo::dlq {

nlohmann::ordered_json dead_letter_json(const DeadLetterRecord& letter) {
  auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  return {{"id", letter.label()},
          {"service", letter.service},
          {"number", letter.id},
          {"consumer", letter.consumer},
          {"subject", letter.subject},
          {"stream_seq", letter.stream_sequence},
          {"event_id", optional(letter.event_id)},
          {"reason", letter.reason},
          {"attempts", letter.attempts},
          {"created_at", letter.created_at},
          {"replayed_at", optional(letter.replayed_at)},
          {"replays", letter.replays},
          {"headers", letter.headers},
          {"payload", letter.payload}};
}

}  // namespace choreo::dlq
