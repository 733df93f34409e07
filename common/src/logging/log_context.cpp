#include "logging/log_context.hpp"

#include <utility>

namespace choreo::logging {
namespace {

thread_local LogContext current;

}  // namespace

const LogContext& current_log_context() {
  return current;
}

LogScope::LogScope(LogContext context) : previous_(std::exchange(current, std::move(context))) {}

LogScope::~LogScope() {
  current = std::move(previous_);
}

}  // namespace choreo::logging
