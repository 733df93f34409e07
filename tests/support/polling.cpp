#include "polling.hpp"

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

namespace choreo::testing {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition())
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(interval);
  }
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device device;
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return std::to_string(now % 100000000) + "_" + std::to_string(device() % 100000) + "_" +
         std::to_string(++counter);
}

}  // namespace choreo::testing
