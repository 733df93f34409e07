#include "logging/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "config/env.hpp"

namespace choreo::logging {
namespace {

std::string iso_timestamp(spdlog::log_clock::time_point time) {
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time - seconds).count();
  const std::time_t raw = spdlog::log_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&raw, &utc);
  char buffer[40];
  const auto length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char with_millis[64];
  std::snprintf(with_millis, sizeof with_millis, "%.*s.%03dZ", static_cast<int>(length), buffer,
                static_cast<int>(millis));
  return with_millis;
}

// spdlog's pattern language cannot escape the message, and a log line that is not valid JSON is
// worse than none for a log shipper, so JSON lines are built by a formatter of our own.
class JsonFormatter final : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string service) : service_(std::move(service)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    const auto line = format_json_line(
        iso_timestamp(msg.time), std::string(level.data(), level.size()), service_, msg.thread_id,
        std::string(msg.payload.data(), msg.payload.size()), current_log_context());
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>(service_);
  }

 private:
  std::string service_;
};

}  // namespace

LogSettings load_log_settings(const config::EnvReader& env, std::string service) {
  LogSettings settings;
  settings.service = std::move(service);
  settings.level = env.choice_or("LOG_LEVEL", "info",
                                 {"trace", "debug", "info", "warn", "error", "critical", "off"});
  settings.format =
      env.choice_or("LOG_FORMAT", "text", {"text", "json"}) == "json" ? Format::json : Format::text;
  return settings;
}

std::string format_json_line(const std::string& timestamp, const std::string& level,
                             const std::string& service, std::size_t thread_id,
                             const std::string& message, const LogContext& context) {
  nlohmann::ordered_json line;
  line["ts"] = timestamp;
  line["level"] = level;
  line["service"] = service;
  line["thread"] = thread_id;
  line["msg"] = message;
  if (!context.trace_id.empty())
    line["trace_id"] = context.trace_id;
  if (!context.order_id.empty())
    line["order_id"] = context.order_id;
  if (!context.event_id.empty())
    line["event_id"] = context.event_id;
  // Replace invalid UTF-8 instead of throwing: a log call must never fail.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void setup(const LogSettings& settings) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(settings.service, sink);
  if (settings.format == Format::json) {
    logger->set_formatter(std::make_unique<JsonFormatter>(settings.service));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
  }
  logger->set_level(spdlog::level::from_str(settings.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace choreo::logging
