#include "inbox/inbox.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace choreo::inbox {

std::vector<db::PreparedStatement> prepared_statements() {
  return {{"inbox_claim",
           "INSERT INTO tb_inbox (consumer, event_id, deliveries) VALUES ($1, $2, $3) "
           "ON CONFLICT DO NOTHING"},
          // The claims travel as one JSON array: a single parameter of any length, and JSON's
          // quoting instead of hand-escaped array literals. A repeated id conflicts with its
          // own first row and is skipped, so RETURNING names each new id once.
          {"inbox_claim_all",
           "INSERT INTO tb_inbox (consumer, event_id, deliveries) "
           "SELECT $1, e.id, e.n FROM jsonb_to_recordset($2::jsonb) AS e(id text, n int) "
           "ON CONFLICT DO NOTHING RETURNING event_id"}};
}

namespace {

// The inbox counts in an int column; a larger count is saturated, not wrapped.
long long deliveries_column(std::uint64_t deliveries) {
  return static_cast<long long>(std::min<std::uint64_t>(deliveries, 2'147'483'647));
}

}  // namespace

bool claim(pqxx::transaction_base& tx, std::string_view consumer, const Claim& event) {
  const auto result = tx.exec_prepared("inbox_claim", std::string(consumer), event.event_id,
                                       deliveries_column(event.deliveries));
  return result.affected_rows() == 1;
}

std::unordered_set<std::string> claim_all(pqxx::transaction_base& tx, std::string_view consumer,
                                          const std::vector<Claim>& events) {
  std::unordered_set<std::string> fresh;
  if (events.empty())
    return fresh;
  auto claims = nlohmann::json::array();
  for (const auto& event : events)
    claims.push_back({{"id", event.event_id}, {"n", deliveries_column(event.deliveries)}});
  const auto rows = tx.exec_prepared("inbox_claim_all", std::string(consumer), claims.dump());
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
