#include "runtime/service_settings.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace choreo::runtime {
namespace {

std::map<std::string, std::string> minimal_env() {
  return {{"DATABASE_URL", "postgresql://orders:orders@127.0.0.1:5432/orders"},
          {"NATS_URL", "nats://127.0.0.1:4222"}};
}

ServiceSettings load(std::map<std::string, std::string> extra) {
  auto values = minimal_env();
  for (auto& [key, value] : extra)
    values[key] = value;
  return load_service_settings(config::EnvReader(values), "test-service", "127.0.0.1:9999");
}

TEST(ServiceSettings, MaxConnectionsDefaultsTo1024) {
  EXPECT_EQ(load({}).http.max_connections, 1024u);
}

TEST(ServiceSettings, MaxConnectionsComesFromHttpMaxConnections) {
  EXPECT_EQ(load({{"HTTP_MAX_CONNECTIONS", "5000"}}).http.max_connections, 5000u);
}

TEST(ServiceSettings, MalformedMaxConnectionsIsOneClearLine) {
  for (const char* bad : {"0", "-1", "lots", "2000000", "10k"}) {
    try {
      load({{"HTTP_MAX_CONNECTIONS", bad}});
      ADD_FAILURE() << "accepted HTTP_MAX_CONNECTIONS=" << bad;
    } catch (const config::ConfigError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("set HTTP_MAX_CONNECTIONS to an integer from 1 to 1000000"),
                std::string::npos)
          << message;
      EXPECT_EQ(message.find('\n'), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace choreo::runtime
