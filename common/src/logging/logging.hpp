#pragma once

#include <string>

#include "logging/log_context.hpp"

namespace choreo::config {
class EnvReader;
}

namespace choreo::logging {

enum class Format { text, json };

struct LogSettings {
  std::string service;         // appears in every line, so mixed logs stay attributable
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  Format format = Format::text;
};

// LOG_LEVEL and LOG_FORMAT from the environment.
LogSettings load_log_settings(const config::EnvReader& env, std::string service);

// Installs the process-wide logger (stderr). Call once from main before anything logs.
void setup(const LogSettings& settings);

// One JSON object per line: {"ts":..., "level":..., "service":..., "thread":..., "msg":...}, then
// trace_id, order_id and event_id from `context` where they are set. Exposed for tests.
std::string format_json_line(const std::string& timestamp, const std::string& level,
                             const std::string& service, std::size_t thread_id,
                             const std::string& message, const LogContext& context = {});

}  // namespace choreo::logging
