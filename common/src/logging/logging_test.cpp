#include "logging/logging.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/env.hpp"

namespace choreo::logging {
namespace {

TEST(JsonLogLine, IsOneValidJsonObjectEvenWithAwkwardMessages) {
  const std::string message = "quote \" backslash \\ newline \n tab \t bad utf8 \xff end";
  const auto line =
      format_json_line("2026-01-01T00:00:00.000Z", "warning", "event-monitor", 42, message);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["level"], "warning");
  EXPECT_EQ(parsed["service"], "event-monitor");
  EXPECT_EQ(parsed["thread"], 42);
  EXPECT_NE(parsed["msg"].get<std::string>().find("quote \" backslash"), std::string::npos);
}

TEST(JsonLogLine, CarriesTheContextFieldsThatAreSet) {
  const auto bare = nlohmann::json::parse(format_json_line("t", "info", "svc", 1, "m"));
  EXPECT_FALSE(bare.contains("trace_id"));
  EXPECT_FALSE(bare.contains("order_id"));
  const auto line = nlohmann::json::parse(
      format_json_line("t", "debug", "svc", 1, "m", LogContext{"abc", "", "e-1"}));
  EXPECT_EQ(line["trace_id"], "abc");
  EXPECT_FALSE(line.contains("order_id"));
  EXPECT_EQ(line["event_id"], "e-1");
}

TEST(LogScope, SetsTheThreadsContextAndRestoresTheOuterOne) {
  EXPECT_TRUE(current_log_context().trace_id.empty());
  {
    LogScope outer(LogContext{"outer", "order-1", ""});
    {
      LogScope inner(LogContext{"inner", "order-2", "event-2"});
      EXPECT_EQ(current_log_context().trace_id, "inner");
    }
    EXPECT_EQ(current_log_context().trace_id, "outer");
    EXPECT_EQ(current_log_context().order_id, "order-1");
  }
  EXPECT_TRUE(current_log_context().trace_id.empty());
}

TEST(LogSettings, ReadFromEnvironment) {
  config::EnvReader env(
      std::map<std::string, std::string>{{"LOG_LEVEL", "debug"}, {"LOG_FORMAT", "json"}});
  const auto settings = load_log_settings(env, "svc");
  EXPECT_EQ(settings.level, "debug");
  EXPECT_EQ(settings.format, Format::json);
  config::EnvReader bad(std::map<std::string, std::string>{{"LOG_LEVEL", "loud"}});
  EXPECT_THROW(load_log_settings(bad, "svc"), config::ConfigError);
}

}  // namespace
}  // namespace choreo::logging
