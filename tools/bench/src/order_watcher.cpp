#include "order_watcher.hpp"

#include <iostream>

namespace choreo::bench {

OrderWatcher::OrderWatcher(const std::string& database_url, long long order_watermark,
                           std::chrono::milliseconds interval) {
  thread_ = std::jthread([this, database_url, order_watermark, interval](std::stop_token stop) {
    try {
      BenchDatabase database(database_url);
      while (!stop.stop_requested()) {
        const auto now = database.progress(order_watermark);
        total_ = now.total;
        terminal_ = now.terminal;
        std::this_thread::sleep_for(interval);
      }
    } catch (const std::exception& error) {
      // Only the progress lines depend on it; the scenario's own checks read the database again.
      std::cerr << "bench: the progress watcher stopped: " << error.what() << "\n";
    }
  });
}

OrderWatcher::~OrderWatcher() {
  thread_.request_stop();
}

}  // namespace choreo::bench
