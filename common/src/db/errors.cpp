#include "db/errors.hpp"

#include <pqxx/except>

#include "db/lease_pool.hpp"

namespace choreo::db {
namespace {

bool transient_sqlstate(const std::string& state) {
  if (state.size() != 5)
    return false;
  const auto sqlclass = state.substr(0, 2);
  return sqlclass == "08"      // connection exception
         || sqlclass == "40"   // transaction rollback: serialization failure, deadlock
         || sqlclass == "53"   // insufficient resources (too many connections, disk full)
         || state == "57P01"   // admin shutdown (server restarting)
         || state == "57P02"   // crash shutdown
         || state == "57P03"   // cannot connect now (starting up)
         || state == "55P03";  // lock not available
}

std::string first_line(const std::string& text) {
  const auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

bool is_transient(const std::exception& error) {
  if (dynamic_cast<const PoolTimeout*>(&error) != nullptr)
    return true;
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr)
    return true;
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr)
    return true;
  if (dynamic_cast<const pqxx::transaction_rollback*>(&error) != nullptr)
    return true;
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    return transient_sqlstate(sql->sqlstate());
  }
  return false;
}

bool breaks_connection(const std::exception& error) {
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr)
    return true;
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr)
    return true;
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    const auto& state = sql->sqlstate();
    return state.rfind("08", 0) == 0 || state.rfind("57P0", 0) == 0;
  }
  return false;
}

std::string describe(const std::exception& error) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    // pqxx::sql_error::what() is the server's message; query() (the SQL) is deliberately left out.
    return "database error " + sql->sqlstate() + ": " + first_line(sql->what());
  }
  return first_line(error.what());
}

}  // namespace choreo::db
