#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "dlq/dead_letter_record.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::ctl::dlq {

inline constexpr int kMaxListLimit = 10'000;

struct ListFilter {
  std::optional<std::string> consumer;
  bool include_replayed = false;
  int limit = 100;  // newest first; at most kMaxListLimit
};

// The dead letters matching `filter`, newest first.
std::vector<DeadLetterRecord> list_dead_letters(pqxx::transaction_base& tx,
                                                const ListFilter& filter);

// The dead letter `id`, locked (FOR UPDATE) until the transaction ends, so two replays of one row
// run one after the other and the second sees the first's replayed_at. `inbox_retention` fills
// older_than_inbox_retention. nullopt when there is no such row.
std::optional<DeadLetterRecord> lock_dead_letter(pqxx::transaction_base& tx, long long id,
                                                 std::chrono::milliseconds inbox_retention);

// Marks `letter` replayed (replayed_at, replays + 1), and with it every other unreplayed dead
// letter of the same event: the replay reaches their consumers too, since none of them recorded
// the event in its inbox. Returns the ids of those others.
std::vector<long long> mark_replayed(pqxx::transaction_base& tx, const DeadLetterRecord& letter,
                                     const std::string& replayed_event_id);

}  // namespace choreo::ctl::dlq
