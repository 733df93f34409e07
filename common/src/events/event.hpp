#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "tracing/trace_context.hpp"

namespace choreo::events {

// The header that carries an event's id when it differs from the message's Nats-Msg-Id. A
// dead-letter replay needs a new Nats-Msg-Id (the stream's duplicate window would drop a
// re-publish under the original one) but must keep the original event id, which is what every
// consumer's inbox and the event log dedupe on.
inline constexpr const char* kEventIdHeader = "Choreo-Event-Id";
inline constexpr const char* kMsgIdHeader = "Nats-Msg-Id";

// Longest event id accepted from a header (ids we publish are UUIDs or short replay ids).
inline constexpr std::size_t kMaxEventIdLength = 200;

// A decoded event: what every handler receives. The event id travels in the Nats-Msg-Id header
// (so the stream's duplicate window can drop re-publishes), or in Choreo-Event-Id when the message
// is a replay; the payload is a JSON object.
struct Event {
  std::string id;
  std::string subject;
  nlohmann::json payload;  // always an object
  std::uint64_t stream_sequence = 0;
  std::uint64_t delivery_attempt = 1;
  // When the stream stored it (UTC, ns since the epoch; 0 when unknown).
  std::int64_t published_at_ns = 0;
  // This consumer's span of the order's trace: a child of the message's traceparent header
  // (nullopt without one). The events a handler emits carry it on (outbox::append).
  std::optional<tracing::TraceContext> trace;

  // The payload's order_id, when present and a string.
  std::optional<std::string> order_id() const;
};

// Why a message could not be turned into an Event. Such a message can never succeed, so it is
// dead-lettered at once instead of being retried.
struct DecodeError {
  std::string reason;
};

// The event id a message carries, given its Choreo-Event-Id and Nats-Msg-Id headers: the first
// that is present and not empty. Pass the result to decode_event.
std::optional<std::string> carried_event_id(const std::optional<std::string>& choreo_event_id,
                                            const std::optional<std::string>& nats_msg_id);

// The id a message without any event id header is known by: stable, derived from its stream
// sequence, so such a message is still processed once (and a replay of it keeps that id).
std::string stream_sequence_event_id(std::uint64_t stream_sequence);

// Pure decoding, independent of NATS: `event_id` is the message's carried_event_id(), if any;
// without one the event gets stream_sequence_event_id().
std::variant<Event, DecodeError> decode_event(std::string_view subject, std::string_view data,
                                              const std::optional<std::string>& event_id,
                                              std::uint64_t stream_sequence,
                                              std::uint64_t delivery_attempt);

// A fresh random event id (UUID v4 text).
std::string new_event_id();

// Whether text is a UUID in canonical 8-4-4-4-12 hex form.
bool is_uuid(std::string_view text);

}  // namespace choreo::events
