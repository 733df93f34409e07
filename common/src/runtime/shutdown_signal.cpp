#include "runtime/shutdown_signal.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <csignal>
#include <mutex>

namespace choreo::runtime {
namespace {

sigset_t shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR2);  // internal: wakes the waiter when we stop without a signal
  return set;
}

}  // namespace

ShutdownSignal::ShutdownSignal() {
  const sigset_t set = shutdown_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer closing a socket must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  waiter_ = std::jthread([this] {
    const sigset_t waited = shutdown_signals();
    while (true) {
      int received = 0;
      if (sigwait(&waited, &received) != 0)
        continue;
      if (received == SIGUSR2 && !source_.stop_requested())
        continue;
      if (received != SIGUSR2) {
        spdlog::info("received {}: shutting down gracefully",
                     received == SIGTERM ? "SIGTERM" : "SIGINT");
      }
      source_.request_stop();
      return;
    }
  });
}

ShutdownSignal::~ShutdownSignal() {
  if (waiter_.joinable()) {
    source_.request_stop();
    pthread_kill(waiter_.native_handle(), SIGUSR2);
    waiter_.join();
  }
}

void ShutdownSignal::wait() const {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  auto token = source_.get_token();
  wake.wait(lock, token, [] { return false; });
}

}  // namespace choreo::runtime
