#include "inbox/inbox.hpp"

#include <pqxx/pqxx>

namespace choreo::inbox {

std::vector<db::PreparedStatement> prepared_statements() {
  return {{"inbox_claim",
           "INSERT INTO tb_inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"}};
}

bool claim(pqxx::transaction_base& tx, std::string_view consumer, std::string_view event_id) {
  const auto result = tx.exec_prepared("inbox_claim", std::string(consumer), std::string(event_id));
  return result.affected_rows() == 1;
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
