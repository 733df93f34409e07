#pragma once

#include <stop_token>
#include <thread>

namespace choreo::runtime {

// Turns SIGTERM/SIGINT into a stop request. Construct it first thing in main, before any thread
// exists: it blocks the signals for the whole process (threads inherit the mask), and one thread
// of its own waits for them with sigwait, so no work happens in a signal handler.
class ShutdownSignal {
 public:
  ShutdownSignal();
  ~ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  std::stop_token token() const { return source_.get_token(); }
  bool requested() const { return source_.stop_requested(); }
  // Blocks until a signal arrives (or request() is called).
  void wait() const;
  void request() { source_.request_stop(); }

 private:
  std::stop_source source_;
  std::jthread waiter_;
};

}  // namespace choreo::runtime
