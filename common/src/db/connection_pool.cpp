#include "db/connection_pool.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "db/errors.hpp"

namespace choreo::db {
namespace {

// Bounds how long a connect to an unreachable server may block a caller; libpq's default is to
// wait forever. Appended only when the URL does not set it already.
std::string with_defaults(const std::string& url, const std::string& application_name) {
  std::string result = url;
  const bool is_uri = url.rfind("postgres", 0) == 0;
  auto append = [&](const std::string& key, const std::string& value) {
    if (result.find(key + "=") != std::string::npos)
      return;
    if (is_uri) {
      result += (result.find('?') == std::string::npos ? "?" : "&") + key + "=" + value;
    } else {
      result += " " + key + "=" + value;
    }
  };
  append("connect_timeout", "5");
  if (!application_name.empty())
    append("application_name", application_name);
  return result;
}

}  // namespace

ConnectionPool::ConnectionPool(PoolSettings settings, std::vector<PreparedStatement> statements)
    : settings_(std::move(settings)),
      statements_(std::move(statements)),
      pool_(
          settings_.size, [this] { return connect(); },
          [](const pqxx::connection& connection) { return connection.is_open(); }) {}

ConnectionPool::~ConnectionPool() = default;

void ConnectionPool::add_prepared_statements(const std::vector<PreparedStatement>& statements) {
  std::lock_guard lock(statements_mutex_);
  statements_.insert(statements_.end(), statements.begin(), statements.end());
}

std::unique_ptr<pqxx::connection> ConnectionPool::connect() const {
  auto connection = open_dedicated();
  std::lock_guard lock(statements_mutex_);
  for (const auto& statement : statements_)
    connection->prepare(statement.name, statement.sql);
  return connection;
}

std::unique_ptr<pqxx::connection> ConnectionPool::open_dedicated() const {
  auto connection =
      std::make_unique<pqxx::connection>(with_defaults(settings_.url, settings_.application_name));
  if (!settings_.search_path.empty()) {
    pqxx::nontransaction tx(*connection);
    tx.exec("SET search_path TO " + tx.quote_name(settings_.search_path));
  }
  return connection;
}

ConnectionPool::Lease ConnectionPool::acquire() {
  return pool_.acquire(settings_.acquire_timeout);
}

bool ConnectionPool::ping() {
  try {
    auto lease = acquire();
    try {
      pqxx::nontransaction tx(*lease);
      tx.exec("SELECT 1");
      return true;
    } catch (const std::exception&) {
      lease.mark_broken();
      throw;
    }
  } catch (const std::exception& error) {
    spdlog::debug("database ping failed: {}", describe(error));
    return false;
  }
}

}  // namespace choreo::db
