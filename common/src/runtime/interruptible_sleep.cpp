#include "runtime/interruptible_sleep.hpp"

#include <condition_variable>
#include <mutex>

namespace choreo::runtime {

void interruptible_sleep(std::stop_token stop, std::chrono::milliseconds duration) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  wake.wait_for(lock, stop, duration, [] { return false; });
}

}  // namespace choreo::runtime
