#include "api/statement_runner.hpp"

#include <pqxx/pqxx>

#include "db/connection_pool.hpp"

namespace choreo::order_service {

namespace {

pqxx::result run_prepared(pqxx::transaction_base& transaction, const std::string& statement,
                          const std::vector<SqlParam>& params) {
  // pqxx sends a null const char* as SQL NULL.
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) {
    values.push_back(param ? param->c_str() : nullptr);
  }
  return transaction.exec_prepared(statement, pqxx::prepare::make_dynamic_params(values));
}

}  // namespace

pqxx::result TransactionStatements::run(const std::string& statement,
                                        const std::vector<SqlParam>& params) {
  return run_prepared(transaction_, statement, params);
}

pqxx::result PoolStatements::run(const std::string& statement,
                                 const std::vector<SqlParam>& params) {
  auto connection = pool_.acquire();
  pqxx::nontransaction reads(*connection);
  return run_prepared(reads, statement, params);
}

}  // namespace choreo::order_service
