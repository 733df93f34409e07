#pragma once

#include <map>
#include <optional>
#include <string>

#include "dlq/dead_letter_record.hpp"

namespace choreo::dlq {

// Names the dead letter a message replays (for logs and for anyone reading the stream).
inline constexpr const char* kReplayOfHeader = "Choreo-Replay-Of";

// What a replay publishes.
struct ReplayMessage {
  std::string subject;  // the original subject, so the consumer that gave up receives it again
  std::string payload;  // the original bytes
  // The id the consumers dedupe on: the original event's (Choreo-Event-Id).
  std::string event_id;
  // New for each replay (Nats-Msg-Id): "replay-<dead letter id>-<n>", n = replays so far + 1.
  std::string msg_id;
  std::map<std::string, std::string> headers;  // all of them, Nats-Msg-Id included
};

// Why `letter` must not be replayed now, or nullopt when it may. `force` overrides both checks:
// a row already replayed, and a row older than the consumers' inbox retention.
std::optional<std::string> replay_refusal(const DeadLetterRecord& letter, bool force);

ReplayMessage replay_message(const DeadLetterRecord& letter);

}  // namespace choreo::dlq
