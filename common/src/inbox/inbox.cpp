#include "inbox/inbox.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace choreo::inbox {

std::vector<db::PreparedStatement> prepared_statements() {
  return {{"inbox_claim",
           "INSERT INTO tb_inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"},
          // The ids travel as one JSON array: a single parameter of any length, and JSON's
          // quoting instead of hand-escaped array literals. A repeated id conflicts with its
          // own first row and is skipped, so RETURNING names each new id once.
          {"inbox_claim_all",
           "INSERT INTO tb_inbox (consumer, event_id) "
           "SELECT $1, jsonb_array_elements_text($2::jsonb) ON CONFLICT DO NOTHING "
           "RETURNING event_id"}};
}

bool claim(pqxx::transaction_base& tx, std::string_view consumer, std::string_view event_id) {
  const auto result = tx.exec_prepared("inbox_claim", std::string(consumer), std::string(event_id));
  return result.affected_rows() == 1;
}

std::unordered_set<std::string> claim_all(pqxx::transaction_base& tx, std::string_view consumer,
                                          const std::vector<std::string>& event_ids) {
  std::unordered_set<std::string> fresh;
  if (event_ids.empty())
    return fresh;
  const auto rows =
      tx.exec_prepared("inbox_claim_all", std::string(consumer), nlohmann::json(event_ids).dump());
  fresh.reserve(rows.size());
  for (const auto& row : rows)
    fresh.insert(row[0].as<std::string>());
  return fresh;
}

long prune(pqxx::transaction_base& tx, std::string_view consumer, std::chrono::hours retention,
           int limit) {
  const auto result = tx.exec_params(
      "DELETE FROM tb_inbox WHERE ctid IN (SELECT ctid FROM tb_inbox WHERE consumer = $1 "
      "AND processed_at < now() - make_interval(hours => $2) LIMIT $3)",
      std::string(consumer), static_cast<int>(retention.count()), limit);
  return static_cast<long>(result.affected_rows());
}

}  // namespace choreo::inbox
