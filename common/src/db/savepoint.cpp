#include "db/savepoint.hpp"

#include <pqxx/pqxx>

namespace choreo::db {

Savepoint::Savepoint(pqxx::transaction_base& tx, std::string name)
    : tx_(tx), name_(std::move(name)) {
  tx_.exec0("SAVEPOINT " + name_);
}

Savepoint::~Savepoint() {
  if (!open_)
    return;
  try {
    rollback();
  } catch (...) {
    // The connection is gone; the transaction fails as a whole, which the caller handles.
  }
}

void Savepoint::release() {
  if (!open_)
    return;
  open_ = false;
  tx_.exec0("RELEASE SAVEPOINT " + name_);
}

void Savepoint::rollback() {
  if (!open_)
    return;
  open_ = false;
  tx_.exec0("ROLLBACK TO SAVEPOINT " + name_);
}

}  // namespace choreo::db
