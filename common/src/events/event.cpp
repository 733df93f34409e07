#include "events/event.hpp"

#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <stdexcept>

namespace choreo::events {

std::optional<std::string> Event::order_id() const {
  const auto found = payload.find("order_id");
  if (found == payload.end() || !found->is_string())
    return std::nullopt;
  return found->get<std::string>();
}

std::optional<std::string> carried_event_id(const std::optional<std::string>& choreo_event_id,
                                            const std::optional<std::string>& nats_msg_id) {
  if (choreo_event_id && !choreo_event_id->empty())
    return choreo_event_id;
  if (nats_msg_id && !nats_msg_id->empty())
    return nats_msg_id;
  return std::nullopt;
}

std::string stream_sequence_event_id(std::uint64_t stream_sequence) {
  return "stream-seq-" + std::to_string(stream_sequence);
}

std::variant<Event, DecodeError> decode_event(std::string_view subject, std::string_view data,
                                              const std::optional<std::string>& event_id,
                                              std::uint64_t stream_sequence,
                                              std::uint64_t delivery_attempt) {
  nlohmann::json payload = nlohmann::json::parse(data.begin(), data.end(), nullptr, false);
  if (payload.is_discarded())
    return DecodeError{"payload is not valid JSON"};
  if (!payload.is_object())
    return DecodeError{"payload is JSON but not an object"};
  Event event;
  if (event_id && !event_id->empty()) {
    if (event_id->size() > kMaxEventIdLength) {
      return DecodeError{"the event id header is longer than " + std::to_string(kMaxEventIdLength) +
                         " characters"};
    }
    event.id = *event_id;
  } else {
    event.id = stream_sequence_event_id(stream_sequence);
  }
  event.subject = std::string(subject);
  event.payload = std::move(payload);
  event.stream_sequence = stream_sequence;
  event.delivery_attempt = delivery_attempt;
  return event;
}

std::string new_event_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no randomness available for an event id");
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0F]);
  }
  return text;
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36)
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position != (text[i] == '-'))
      return false;
    if (!dash_position && std::isxdigit(static_cast<unsigned char>(text[i])) == 0)
      return false;
  }
  return true;
}

}  // namespace choreo::events
