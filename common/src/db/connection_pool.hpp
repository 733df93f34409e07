#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/lease_pool.hpp"

#include <pqxx/connection>

namespace choreo::db {

struct PreparedStatement {
  std::string name;
  std::string sql;
};

struct PoolSettings {
  std::string url;  // libpq URL, e.g. postgresql://user:pass@127.0.0.1:5432/db
  std::size_t size = 4;
  std::chrono::milliseconds acquire_timeout{5000};
  std::string application_name;  // shows in pg_stat_activity
  // The schema the service's unqualified names resolve in (its own: docs/database.md), set on
  // every connection the pool opens; empty leaves the role's or database's default.
  std::string search_path;
};

// A PostgreSQL connection pool: exclusive leases (a pqxx connection is never shared between
// threads), connections made lazily, every statement of `statements` prepared on each new
// connection, and broken connections dropped and replaced on next use.
class ConnectionPool {
 public:
  using Lease = LeasePool<pqxx::connection>::Lease;

  ConnectionPool(PoolSettings settings, std::vector<PreparedStatement> statements = {});
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Throws PoolTimeout when every connection stays busy, pqxx::broken_connection when the server
  // cannot be reached; both are transient (see db/errors.hpp).
  Lease acquire();

  // Adds statements every connection prepares. Call during wiring, before the first acquire():
  // connections made earlier would not have them.
  void add_prepared_statements(const std::vector<PreparedStatement>& statements);

  // Opens a dedicated connection outside the pool (LISTEN, session advisory locks).
  std::unique_ptr<pqxx::connection> open_dedicated() const;

  // SELECT 1 through the pool; false instead of throwing. For readiness probes.
  bool ping();

  const PoolSettings& settings() const { return settings_; }

 private:
  std::unique_ptr<pqxx::connection> connect() const;

  PoolSettings settings_;
  mutable std::mutex statements_mutex_;
  std::vector<PreparedStatement> statements_;
  LeasePool<pqxx::connection> pool_;
};

}  // namespace choreo::db
