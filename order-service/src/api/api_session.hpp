#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "api/statement_runner.hpp"

namespace choreo::order_service {

// The database side of one API request: every statement runs as order_api with the request's
// user set (row-level security applies to all of them), in as few round trips as the protocol
// allows. The setup (role and user, both transaction-local: set_config(..., true) is SET LOCAL,
// so a pooled connection never carries them on) travels in the same simple-protocol message as
// a statement, which runs there as SQL EXECUTE of the pool's prepared statement:
//  - kReadOnly (queries): every statement is such a message, an implicit transaction of its own:
//    one round trip per statement, no BEGIN, no COMMIT. Under READ COMMITTED each statement
//    takes its own snapshot anyway, so this sees what one transaction around them would.
//  - kReadWrite (mutations): one transaction (a pqxx::work, begun at the first statement); the
//    setup travels with the first statement, the others are plain exec_prepared; commit() or
//    abort() ends it.
// Reading one order with its details takes one round trip this way; with a transaction around
// it, BEGIN, the setup and COMMIT took three more. Not thread-safe (one request).
class ApiSession final : public StatementRunner {
 public:
  enum class Mode { kReadOnly, kReadWrite };

  // `traceparent`, when not empty, becomes choreo.traceparent for the transaction: the order a
  // createOrder inserts stores it, and its events carry it (sql/013_trace_and_timeline.sql).
  ApiSession(pqxx::connection& connection, std::string user, Mode mode,
             std::string traceparent = {});
  ApiSession(const ApiSession&) = delete;
  ApiSession& operator=(const ApiSession&) = delete;

  // Runs the pool's prepared statement `statement` with `params`. Throws what the database said.
  pqxx::result run(const std::string& statement, const std::vector<SqlParam>& params) override;

  // End a read-write session's transaction (if a statement began one); no-ops when read-only.
  // Dropped without either, the transaction rolls back.
  void commit();
  void abort();

 private:
  // "SELECT set_config(...); EXECUTE statement(params)": the setup, then the statement.
  std::string setup_and_execute(pqxx::transaction_base& transaction, const std::string& statement,
                                const std::vector<SqlParam>& params) const;

  pqxx::connection& connection_;
  const std::string user_;
  const Mode mode_;
  const std::string traceparent_;
  std::optional<pqxx::nontransaction> reads_;  // kReadOnly: autocommit, as PostgreSQL sees it
  std::optional<pqxx::work> transaction_;      // kReadWrite, from the first statement on
};

}  // namespace choreo::order_service
