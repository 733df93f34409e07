#include "api/api_session.hpp"

#include <pqxx/pqxx>

namespace choreo::order_service {

ApiSession::ApiSession(pqxx::connection& connection, std::string user, Mode mode,
                       std::string traceparent)
    : connection_(connection),
      user_(std::move(user)),
      mode_(mode),
      traceparent_(std::move(traceparent)) {}

std::string ApiSession::setup_and_execute(pqxx::transaction_base& transaction,
                                          const std::string& statement,
                                          const std::vector<SqlParam>& params) const {
  // The user is the token's verified `sub`; every value is quoted by libpq for this
  // connection's encoding and settings, and typed by the prepared statement.
  std::string sql = "SELECT set_config('role', 'order_api', true), set_config('app.user_id', ";
  sql += transaction.quote(user_);
  sql += ", true)";
  if (!traceparent_.empty()) {
    sql += ", set_config('choreo.traceparent', ";
    sql += transaction.quote(traceparent_);
    sql += ", true)";
  }
  sql += "; EXECUTE ";
  sql += transaction.quote_name(statement);
  if (!params.empty()) {
    sql += '(';
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (i > 0)
        sql += ", ";
      sql += params[i] ? transaction.quote(*params[i]) : std::string("NULL");
    }
    sql += ')';
  }
  return sql;
}

pqxx::result ApiSession::run(const std::string& statement, const std::vector<SqlParam>& params) {
  if (transaction_) {
    return TransactionStatements(*transaction_).run(statement, params);
  }
  // SQL EXECUTE finds only statements the server has: pqxx parses its definitions on their
  // first use, and this is a no-op from then on.
  connection_.prepare_now(statement);
  if (mode_ == Mode::kReadOnly) {
    if (!reads_) {
      reads_.emplace(connection_);
    }
    return reads_->exec(setup_and_execute(*reads_, statement, params));
  }
  transaction_.emplace(connection_);
  return transaction_->exec(setup_and_execute(*transaction_, statement, params));
}

void ApiSession::commit() {
  if (transaction_) {
    transaction_->commit();
  }
}

void ApiSession::abort() {
  if (transaction_) {
    transaction_->abort();
  }
}

}  // namespace choreo::order_service
