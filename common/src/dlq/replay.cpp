#include "dlq/replay.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "dlq/replay_publisher.hpp"
#include "logging/one_line.hpp"

namespace choreo::dlq {
namespace {

constexpr std::chrono::seconds kNatsConnectTimeout{5};

using logging::one_line;

}  // namespace

ReplayResult replay_letter(ReplayRun& run, const DeadLetterSource& source, long long id) {
  ReplayResult result;
  result.label = source.table.service + "/" + std::to_string(id);
  pqxx::work tx(run.connections.to(source.database_url), "dlq_replay");
  const auto letter = lock_dead_letter(tx, source.table, id, run.inbox_retention);
  if (!letter) {
    result.detail = "no dead letter " + result.label;
    return result;
  }
  result.letter = *letter;
  if (const auto refusal = replay_refusal(*letter, run.force)) {
    result.kind = ReplayResult::Kind::refused;
    result.detail = *refusal;
    return result;
  }
  result.message = replay_message(*letter);
  result.published = publish_replay(run.bus, *result.message, kNatsConnectTimeout);
  if (!result.published.stored) {
    result.detail = "not replayed: " + one_line(result.published.error);
    return result;
  }
  run.faults.reach("after_replay_publish_before_mark");
  try {
    mark_replayed(tx, source.table, *letter);
    for (auto& other :
         mark_same_event_replayed(tx, source.table, *letter, result.message->event_id))
      result.also_marked.push_back(std::move(other));
    tx.commit();
  } catch (const std::exception& error) {
    result.detail = "was published (stream sequence " + std::to_string(result.published.sequence) +
                    ") but not marked replayed: " + one_line(error.what()) +
                    "; replaying it again is safe";
    return result;
  }
  result.kind = ReplayResult::Kind::replayed;
  // The other services' dead letters of the same event: bookkeeping after the replay is safely
  // recorded (each in its own service's database).
  for (const auto& other_source : run.sources) {
    if (other_source.table.service == source.table.service)
      continue;
    try {
      pqxx::work other_tx(run.connections.to(other_source.database_url), "dlq_mark_same_event");
      for (auto& other : mark_same_event_replayed(other_tx, other_source.table, *letter,
                                                  result.message->event_id))
        result.also_marked.push_back(std::move(other));
      other_tx.commit();
    } catch (const std::exception& error) {
      if (run.warn)
        run.warn("could not mark " + other_source.table.service +
                 "'s dead letters of this event replayed: " + one_line(error.what()));
    }
  }
  return result;
}

const DeadLetterSource* source_of(const std::vector<DeadLetterSource>& sources,
                                  const std::string& service) {
  for (const auto& source : sources) {
    if (source.table.service == service)
      return &source;
  }
  return nullptr;
}

std::vector<DeadLetterRecord> matching_letters(const std::vector<DeadLetterSource>& sources,
                                               db::ConnectionsByUrl& connections,
                                               const ListFilter& filter) {
  std::vector<DeadLetterRecord> letters;
  for (const auto& source : sources) {
    pqxx::read_transaction tx(connections.to(source.database_url), "dlq_list");
    for (auto& letter : list_dead_letters(tx, source.table, filter))
      letters.push_back(std::move(letter));
  }
  sort_newest_first(letters);
  return letters;
}

void sort_newest_first(std::vector<DeadLetterRecord>& letters) {
  std::stable_sort(letters.begin(), letters.end(), [](const auto& a, const auto& b) {
    return a.created_at > b.created_at;  // ISO-8601 UTC text sorts as time does
  });
}

nlohmann::ordered_json replay_result_json(const ReplayResult& result) {
  nlohmann::ordered_json json;
  json["id"] = result.label;
  json["result"] = result.kind == ReplayResult::Kind::replayed  ? "replayed"
                   : result.kind == ReplayResult::Kind::refused ? "refused"
                                                                : "failed";
  if (result.letter) {
    json["consumer"] = result.letter->consumer;
    json["subject"] = result.letter->subject;
    json["reason"] = result.letter->reason;
  }
  if (result.kind == ReplayResult::Kind::replayed) {
    json["event_id"] = result.message->event_id;
    json["msg_id"] = result.message->msg_id;
    json["stream_seq"] = result.published.sequence;
    json["duplicate"] = result.published.duplicate;
    auto others = nlohmann::ordered_json::array();
    for (const auto& other : result.also_marked)
      others.push_back(other.label());
    json["also_marked"] = std::move(others);
  } else {
    json["detail"] = result.detail;
  }
  return json;
}

}  // namespace choreo::dlq
