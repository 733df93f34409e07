#include "order_lookup.hpp"

#include <pqxx/pqxx>

namespace choreo::inventory_worker {

std::vector<db::PreparedStatement> order_lookup_statements() {
  return {{"inventory_find_order", "SELECT pk_order FROM tb_order WHERE id = $1::uuid"}};
}

std::optional<long long> find_order(pqxx::transaction_base& tx, const std::string& order_id) {
  const auto result = tx.exec_prepared("inventory_find_order", order_id);
  if (result.empty())
    return std::nullopt;
  return result[0][0].as<long long>();
}

}  // namespace choreo::inventory_worker
