#pragma once

#include <string>

namespace choreo::logging {

// What a log line is about, beside its message: the JSON format writes each field that is set
// (trace_id, order_id, event_id), so one trace id finds an order's lines in every service's log.
// Held per thread, since each thread handles one request or one event at a time.
struct LogContext {
  std::string trace_id;
  std::string order_id;
  std::string event_id;
};

// The calling thread's context (empty fields when no scope is open).
const LogContext& current_log_context();

// Sets the calling thread's context for its lifetime and restores the one before at the end, so
// scopes nest (a batch, then each of its events).
class LogScope {
 public:
  explicit LogScope(LogContext context);
  ~LogScope();
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;

 private:
  LogContext previous_;
};

}  // namespace choreo::logging
