#include "outbox/outbox_backlog.hpp"

#include <algorithm>
#include <pqxx/pqxx>

namespace choreo::outbox {

OutboxBacklog read_outbox_backlog(pqxx::transaction_base& tx, const std::string& table,
                                  const std::optional<std::string>& source) {
  const auto row = tx.exec_params1(
      "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at))::float8, 0) FROM " +
          table + " WHERE published_at IS NULL AND ($1::text IS NULL OR source = $1)",
      source);
  return {row[0].as<long long>(), std::max(0.0, row[1].as<double>())};
}

}  // namespace choreo::outbox
