#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bus/jetstream.hpp"
#include "db/connections_by_url.hpp"
#include "dlq/dead_letter_sources.hpp"
#include "dlq/replay_plan.hpp"
#include "runtime/fault_points.hpp"

namespace choreo::dlq {

// The services' default INBOX_RETENTION (consumer_settings.hpp): a replayer whose services run
// with another one is given the same value.
inline constexpr std::chrono::hours kDefaultInboxRetention{24 * 7};

// What became of one dead letter a replay was asked for.
struct ReplayResult {
  enum class Kind { replayed, refused, failed } kind = Kind::failed;
  std::string label;
  std::string detail;  // refused / failed: why
  std::optional<DeadLetterRecord> letter;
  std::optional<ReplayMessage> message;
  bus::PublishOutcome published;
  std::vector<DeadLetterRecord> also_marked;  // other letters of the same event
};

// What every replay of one request (a command, a click on the dashboard) shares.
struct ReplayRun {
  const std::vector<DeadLetterSource>& sources;
  db::ConnectionsByUrl& connections;
  bus::JetStreamClient& bus;
  const runtime::FaultPoints& faults;
  std::chrono::milliseconds inbox_retention{kDefaultInboxRetention};
  bool force = false;
  // Told what went wrong after the replay was safely recorded (one line each); the replay stands.
  std::function<void(const std::string&)> warn{};
};

// Replays the dead letter `id` of `source` (one of run.sources), in the safe order:
//  1. lock the row (FOR UPDATE): concurrent replays of one row take turns, and the second one
//     sees the first one's replayed_at and refuses;
//  2. publish under Nats-Msg-Id "replay-<service>-<id>-<replays + 1>" and wait for the stream's
//     ack;
//  3. mark the row replayed and commit, then the other services' letters of the same event.
// A crash between 2 and 3 leaves the row unmarked, so the operator replays again: within the
// stream's duplicate window the same Nats-Msg-Id is dropped by the server; after it, the
// consumer's inbox already holds the original event id and acknowledges the second copy as a
// repeat. Marking before publishing would instead lose the replay on such a crash.
ReplayResult replay_letter(ReplayRun& run, const DeadLetterSource& source, long long id);

// The source whose service is `service`; nullptr when none is.
const DeadLetterSource* source_of(const std::vector<DeadLetterSource>& sources,
                                  const std::string& service);

// The dead letters matching `filter` in every service's table, newest first across all of them.
std::vector<DeadLetterRecord> matching_letters(const std::vector<DeadLetterSource>& sources,
                                               db::ConnectionsByUrl& connections,
                                               const ListFilter& filter);

// Newest first across the services' tables (each lists its own newest first).
void sort_newest_first(std::vector<DeadLetterRecord>& letters);

// `result` as `choreoctl dlq replay --json` and the dashboard show it.
nlohmann::ordered_json replay_result_json(const ReplayResult& result);

}  // namespace choreo::dlq
