#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace choreo::events {

// A decoded event: what every handler receives. The event id travels in the Nats-Msg-Id header
// (so the stream's duplicate window can drop re-publishes); the payload is a JSON object.
struct Event {
  std::string id;
  std::string subject;
  nlohmann::json payload;  // always an object
  std::uint64_t stream_sequence = 0;
  std::uint64_t delivery_attempt = 1;

  // The payload's order_id, when present and a string.
  std::optional<std::string> order_id() const;
};

// Why a message could not be turned into an Event. Such a message can never succeed, so it is
// dead-lettered at once instead of being retried.
struct DecodeError {
  std::string reason;
};

// Pure decoding, independent of NATS: `msg_id` is the Nats-Msg-Id header if present. A message
// without one gets a stable id derived from its stream sequence, so it is still processed once.
std::variant<Event, DecodeError> decode_event(std::string_view subject, std::string_view data,
                                              const std::optional<std::string>& msg_id,
                                              std::uint64_t stream_sequence,
                                              std::uint64_t delivery_attempt);

// A fresh random event id (UUID v4 text).
std::string new_event_id();

// Whether text is a UUID in canonical 8-4-4-4-12 hex form.
bool is_uuid(std::string_view text);

}  // namespace choreo::events
