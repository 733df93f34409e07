#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pqxx/result>

namespace pqxx {
class transaction_base;
}

namespace choreo::db {
class ConnectionPool;
}

namespace choreo::order_service {

// A statement parameter in PostgreSQL's text form; nullopt is SQL NULL.
using SqlParam = std::optional<std::string>;

// Where an API request's prepared statements (the pool's, by name) run. The store does not
// care how: inside a pqxx transaction, or batched with the request's setup (ApiSession).
class StatementRunner {
 public:
  virtual ~StatementRunner() = default;
  virtual pqxx::result run(const std::string& statement, const std::vector<SqlParam>& params) = 0;
};

// Runs them with exec_prepared in a transaction that the caller has begun and will end.
class TransactionStatements final : public StatementRunner {
 public:
  explicit TransactionStatements(pqxx::transaction_base& transaction) : transaction_(transaction) {}
  pqxx::result run(const std::string& statement, const std::vector<SqlParam>& params) override;

 private:
  pqxx::transaction_base& transaction_;
};

// Runs each on a connection of `pool` of its own, outside any transaction: for the read models
// when they live in another database than the request's own (each statement is one read).
class PoolStatements final : public StatementRunner {
 public:
  explicit PoolStatements(db::ConnectionPool& pool) : pool_(pool) {}
  pqxx::result run(const std::string& statement, const std::vector<SqlParam>& params) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace choreo::order_service
