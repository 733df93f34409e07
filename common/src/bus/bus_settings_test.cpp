#include "bus/bus_settings.hpp"

#include <gtest/gtest.h>

#include "config/env.hpp"

namespace choreo::bus {
namespace {

TEST(NatsSettings, OneOrSeveralUrls) {
  config::EnvReader single(
      std::map<std::string, std::string>{{"NATS_URL", "nats://127.0.0.1:4222"}});
  EXPECT_EQ(load_nats_settings(single, "svc").urls.size(), 1u);
  config::EnvReader cluster(std::map<std::string, std::string>{
      {"NATS_URL", "nats://a:4222, nats://b:4222,nats://c:4222"}});
  const auto settings = load_nats_settings(cluster, "svc");
  ASSERT_EQ(settings.urls.size(), 3u);
  EXPECT_EQ(settings.urls[1], "nats://b:4222");
}

TEST(NatsSettings, RejectsMissingOrForeignUrls) {
  config::EnvReader none(std::map<std::string, std::string>{});
  EXPECT_THROW(load_nats_settings(none, "svc"), config::ConfigError);
  config::EnvReader http(std::map<std::string, std::string>{{"NATS_URL", "http://x:4222"}});
  EXPECT_THROW(load_nats_settings(http, "svc"), config::ConfigError);
}

}  // namespace
}  // namespace choreo::bus
