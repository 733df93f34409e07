#include "dlq/replay_plan.hpp"

#include <algorithm>
#include <cctype>

#include "events/event.hpp"

namespace choreo::dlq {
namespace {

bool starts_with_ignoring_case(const std::string& text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

bool equals_ignoring_case(const std::string& text, std::string_view other) {
  return text.size() == other.size() && starts_with_ignoring_case(text, other);
}

}  // namespace

std::optional<std::string> replay_refusal(const DeadLetterRecord& letter, bool force) {
  if (force)
    return std::nullopt;
  if (letter.replayed_at) {
    return "dead letter " + letter.label() + " was already replayed at " + *letter.replayed_at +
           "; replay it again with --force";
  }
  if (letter.older_than_inbox_retention) {
    return "dead letter " + letter.label() +
           " is older than the consumers' inbox retention (INBOX_RETENTION): consumers that "
           "processed the original event may not recognise the replay and apply it twice; "
           "check them first, then replay with --force";
  }
  return std::nullopt;
}

ReplayMessage replay_message(const DeadLetterRecord& letter) {
  ReplayMessage message;
  message.subject = letter.subject;
  message.payload = letter.payload;
  // A row without an event id was a message without one: its consumers knew it by its stream
  // sequence, so the replay is known by that same id.
  message.event_id =
      letter.event_id && !letter.event_id->empty()
          ? *letter.event_id
          : events::stream_sequence_event_id(static_cast<std::uint64_t>(letter.stream_sequence));
  // Dead letters are numbered per service: the service makes the id unique across them.
  message.msg_id = "replay-" + letter.service + "-" + std::to_string(letter.id) + "-" +
                   std::to_string(letter.replays + 1);
  // Application headers travel as they were. The server's (Nats-*: the old message id, expected
  // sequences...) and our replay headers are set afresh.
  for (const auto& [name, value] : letter.headers) {
    if (starts_with_ignoring_case(name, "Nats-") ||
        equals_ignoring_case(name, events::kEventIdHeader) ||
        equals_ignoring_case(name, kReplayOfHeader)) {
      continue;
    }
    message.headers.emplace(name, value);
  }
  message.headers[events::kEventIdHeader] = message.event_id;
  message.headers[kReplayOfHeader] = letter.label();
  message.headers[events::kMsgIdHeader] = message.msg_id;
  return message;
}

}  // namespace choreo::dlq
