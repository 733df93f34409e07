#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection_pool.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::consumer {

// A message that will not be processed: kept whole (raw bytes, headers) so it can be inspected
// and replayed once its cause is fixed.
struct DeadLetter {
  std::string consumer;
  std::string subject;
  std::uint64_t stream_sequence = 0;
  std::optional<std::string> event_id;
  std::map<std::string, std::string> headers;
  std::string payload;  // raw bytes as received
  std::string reason;
  std::uint64_t attempts = 0;
};

std::vector<db::PreparedStatement> dead_letter_statements();

// Writes the row in the caller's transaction. Returns false when this consumer had already
// recorded this message (a redelivery after a crash between commit and term): count and log a
// dead letter only when this returns true and the transaction commits.
bool record_dead_letter(pqxx::transaction_base& tx, const DeadLetter& letter);

// "\x..." hex form PostgreSQL accepts for bytea input; exposed for tests.
std::string to_bytea_hex(std::string_view bytes);

}  // namespace choreo::consumer
