#pragma once

#include <string>

namespace pqxx {
class transaction_base;
}

namespace choreo::db {

// A SAVEPOINT inside a transaction: work done after it can be undone alone, leaving the rest of
// the transaction usable. Rolled back on destruction unless released.
//
// Why not pqxx::subtransaction: in libpqxx 6.4 it opens its savepoint lazily, and exec_params /
// exec_prepared do not open it, so a failing prepared statement aborts the whole transaction.
class Savepoint {
 public:
  explicit Savepoint(pqxx::transaction_base& tx, std::string name = "event");
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;

  void release();
  void rollback();

 private:
  pqxx::transaction_base& tx_;
  std::string name_;
  bool open_ = true;
};

}  // namespace choreo::db
