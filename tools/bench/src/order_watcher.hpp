#pragma once

#include <atomic>
#include <chrono>
#include <stop_token>
#include <string>
#include <thread>

#include "bench_database.hpp"

namespace choreo::bench {

// Follows the orders above a watermark on a thread (and a connection) of its own, so the
// progress lines can show how many reached their end without the load's event loop ever waiting
// on the database.
class OrderWatcher {
 public:
  OrderWatcher(const std::string& database_url, long long order_watermark,
               std::chrono::milliseconds interval);
  ~OrderWatcher();
  OrderWatcher(const OrderWatcher&) = delete;
  OrderWatcher& operator=(const OrderWatcher&) = delete;

  long long total() const { return total_.load(); }
  long long terminal() const { return terminal_.load(); }

 private:
  std::atomic<long long> total_{0};
  std::atomic<long long> terminal_{0};
  std::jthread thread_;
};

}  // namespace choreo::bench
