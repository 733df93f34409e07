#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "dlq/dead_letter_record.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::dlq {

inline constexpr int kMaxListLimit = 10'000;

struct ListFilter {
  std::optional<std::string> consumer;
  std::optional<std::string> reason_contains;
  std::optional<std::chrono::milliseconds> recorded_within;  // recorded at most this long ago
  bool include_replayed = false;
  int limit = 100;  // newest first; at most kMaxListLimit
};

// Each function works on one service's table, `source.schema`.tb_dead_letter; the records it
// returns carry `source.service`.
struct DeadLetterTable {
  std::string service;  // order-service, ...
  std::string schema;   // order_service, ...
};

// The dead letters matching `filter`, newest first.
std::vector<DeadLetterRecord> list_dead_letters(pqxx::transaction_base& tx,
                                                const DeadLetterTable& table,
                                                const ListFilter& filter);

// The dead letters (replayed or not) of any of these events, oldest first.
std::vector<DeadLetterRecord> dead_letters_of_events(pqxx::transaction_base& tx,
                                                     const DeadLetterTable& table,
                                                     const std::vector<std::string>& event_ids);

// The dead letter `id`, locked (FOR UPDATE) until the transaction ends, so two replays of one row
// run one after the other and the second sees the first's replayed_at. `inbox_retention` fills
// older_than_inbox_retention. nullopt when there is no such row.
std::optional<DeadLetterRecord> lock_dead_letter(pqxx::transaction_base& tx,
                                                 const DeadLetterTable& table, long long id,
                                                 std::chrono::milliseconds inbox_retention);

// Marks `letter` (of this table) replayed: replayed_at, replays + 1.
void mark_replayed(pqxx::transaction_base& tx, const DeadLetterTable& table,
                   const DeadLetterRecord& letter);

// Marks every other unreplayed dead letter of the same event in this table replayed: the replay
// reaches their consumers too, since none of them recorded the event in its inbox. Returns them.
std::vector<DeadLetterRecord> mark_same_event_replayed(pqxx::transaction_base& tx,
                                                       const DeadLetterTable& table,
                                                       const DeadLetterRecord& letter,
                                                       const std::string& replayed_event_id);

}  // namespace choreo::dlq
