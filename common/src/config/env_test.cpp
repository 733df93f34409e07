#include "config/env.hpp"

#include <gtest/gtest.h>

namespace choreo::config {
namespace {

TEST(EnvReader, MissingRequiredValueNamesTheVariable) {
  EnvReader env(std::map<std::string, std::string>{});
  try {
    env.required("DATABASE_URL", "e.g. postgresql://...");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("set DATABASE_URL"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line only";
  }
}

TEST(EnvReader, BlankCountsAsMissing) {
  EnvReader env(std::map<std::string, std::string>{{"NATS_URL", "   "}});
  EXPECT_THROW(env.required("NATS_URL", "x"), ConfigError);
  EXPECT_EQ(env.string_or("NATS_URL", "fallback"), "fallback");
}

TEST(EnvReader, IntegersAreRangeChecked) {
  EnvReader env(
      std::map<std::string, std::string>{{"MAX_DELIVER", "7"}, {"BAD", "7x"}, {"BIG", "5000"}});
  EXPECT_EQ(env.integer_or("MAX_DELIVER", 5, 1, 100), 7);
  EXPECT_EQ(env.integer_or("ABSENT", 5, 1, 100), 5);
  EXPECT_THROW(env.integer_or("BAD", 5, 1, 100), ConfigError);
  try {
    env.integer_or("BIG", 5, 1, 100);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("from 1 to 100"), std::string::npos);
  }
}

TEST(EnvReader, BooleansAndChoices) {
  EnvReader env(std::map<std::string, std::string>{
      {"A", "true"}, {"B", "off"}, {"C", "maybe"}, {"LOG_FORMAT", "xml"}});
  EXPECT_TRUE(env.boolean_or("A", false));
  EXPECT_FALSE(env.boolean_or("B", true));
  EXPECT_THROW(env.boolean_or("C", true), ConfigError);
  EXPECT_THROW(env.choice_or("LOG_FORMAT", "text", {"text", "json"}), ConfigError);
  EXPECT_EQ(env.choice_or("ABSENT", "text", {"text", "json"}), "text");
}

TEST(ParseDuration, AcceptsUnitsAndBareMilliseconds) {
  using std::chrono::milliseconds;
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("2s"), milliseconds(2000));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1500));
  EXPECT_EQ(parse_duration("1m"), milliseconds(60000));
  EXPECT_EQ(parse_duration("1h"), milliseconds(3600000));
  EXPECT_EQ(parse_duration("40"), milliseconds(40));
  EXPECT_FALSE(parse_duration("").has_value());
  EXPECT_FALSE(parse_duration("fast").has_value());
  EXPECT_FALSE(parse_duration("5 parsecs").has_value());
  EXPECT_FALSE(parse_duration("1.2.3s").has_value());
  EXPECT_FALSE(parse_duration("-1s").has_value());
}

TEST(EnvReader, DurationLists) {
  EnvReader env(std::map<std::string, std::string>{{"RETRY_BACKOFF", "100ms, 200ms,1s"},
                                                   {"BAD", "100ms,,1s"}});
  const auto list = env.durations_or("RETRY_BACKOFF", {});
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[2], std::chrono::milliseconds(1000));
  EXPECT_THROW(env.durations_or("BAD", {}), ConfigError);
}

TEST(ParseListenAddress, HostAndPort) {
  const auto address = parse_listen_address("LISTEN_ADDR", "0.0.0.0:9104");
  EXPECT_EQ(address.host, "0.0.0.0");
  EXPECT_EQ(address.port, 9104);
  EXPECT_EQ(parse_listen_address("LISTEN_ADDR", "[::1]:80").host, "::1");
  EXPECT_THROW(parse_listen_address("LISTEN_ADDR", "9104"), ConfigError);
  EXPECT_THROW(parse_listen_address("LISTEN_ADDR", "host:99999"), ConfigError);
  EXPECT_THROW(parse_listen_address("LISTEN_ADDR", "host:"), ConfigError);
}

}  // namespace
}  // namespace choreo::config
