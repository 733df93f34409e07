#pragma once

#include <memory>
#include <string>

#include "api/statement_runner.hpp"
#include "config/env.hpp"
#include "db/connection_pool.hpp"

namespace choreo::order_service {

// Where the two read models of docs/database.md live: event_monitor.v_order_event (Order.events)
// and inventory_worker.v_stock (Product.available). Empty: in the order service's own database
// (every service's schema in one database). Set when the event monitor's or the inventory
// worker's data is in a database of its own (./dev up --split-databases): the order service
// reads that database as its own role, which may read the view and nothing else there.
struct ReadModelSettings {
  std::string order_events_url;  // ORDER_EVENTS_DATABASE_URL
  std::string stock_url;         // STOCK_DATABASE_URL
};

// Throws config::ConfigError on a malformed value.
ReadModelSettings load_read_model_settings(const config::EnvReader& env);

// Where one request's read-model statements run: nullptr for "with the request's own
// statements" (the same database, the same transaction).
struct ReadModelRunners {
  StatementRunner* order_events = nullptr;
  StatementRunner* stock = nullptr;
};

// The pools of the read models that live elsewhere, made at start (connections lazily).
class ReadModels {
 public:
  // `own`: the service's pool settings (its role, its name in pg_stat_activity).
  ReadModels(const ReadModelSettings& settings, const db::PoolSettings& own);
  ReadModels(const ReadModels&) = delete;
  ReadModels& operator=(const ReadModels&) = delete;
  ~ReadModels();

  ReadModelRunners runners() const { return {order_events_.get(), stock_.get()}; }

 private:
  static std::unique_ptr<db::ConnectionPool> open(const std::string& url,
                                                  const db::PoolSettings& own);

  std::unique_ptr<db::ConnectionPool> order_events_pool_, stock_pool_;
  std::unique_ptr<PoolStatements> order_events_, stock_;
};

}  // namespace choreo::order_service
