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
