#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection_pool.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::inventory_worker {

std::vector<db::PreparedStatement> order_lookup_statements();

// The order's pk_order, the key the worker's rows point at; nullopt when no such order exists.
std::optional<long long> find_order(pqxx::transaction_base& tx, const std::string& order_id);

}  // namespace choreo::inventory_worker
