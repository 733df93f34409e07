#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bus/jetstream.hpp"
#include "db/connection_pool.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::event_monitor {

// What the monitor's operator API answers (the live dashboard's data), from what the monitor
// owns: its audit trail (tb_event_log, every event of the stream) and the stream's consumers.
class OperatorViews {
 public:
  // Rates and latencies cover the last `window`. The overview's cost grows with the events in it.
  explicit OperatorViews(std::chrono::seconds window = std::chrono::seconds(300));

  static std::vector<db::PreparedStatement> prepared_statements();

  // GET /api/overview: the durables' lag, events per subject (count and rate over the window,
  // and the rate over the last 10 s),
  // orders created, shipped and failed per second, createOrder-to-shipped latency (p50, p99),
  // the newest orders with their latest status, and the newest failure events.
  nlohmann::ordered_json overview(pqxx::transaction_base& tx,
                                  const std::vector<bus::ConsumerState>& consumers) const;

  // GET /api/order?id=UUID: the order's events in stream order (as `choreoctl order` shows the
  // monitor's part of it); nullopt when the trail has none.
  std::optional<nlohmann::ordered_json> order(pqxx::transaction_base& tx,
                                              const std::string& order_id) const;

 private:
  std::chrono::seconds window_;
};

}  // namespace choreo::event_monitor
