#include "api/statement_runner.hpp"

#include <pqxx/pqxx>

namespace choreo::order_service {

pqxx::result TransactionStatements::run(const std::string& statement,
                                        const std::vector<SqlParam>& params) {
  // pqxx sends a null const char* as SQL NULL.
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) {
    values.push_back(param ? param->c_str() : nullptr);
  }
  return transaction_.exec_prepared(statement, pqxx::prepare::make_dynamic_params(values));
}

}  // namespace choreo::order_service
