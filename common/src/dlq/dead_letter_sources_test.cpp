#include "dlq/dead_letter_sources.hpp"

#include <gtest/gtest.h>

namespace choreo::dlq {
namespace {

TEST(DeadLetterSources, EachServiceThroughItsOwnUrlOrTheOwners) {
  const config::EnvReader env(std::map<std::string, std::string>{
      {"DATABASE_URL", "postgresql://owner@h/db"},
      {"PAYMENT_WORKER_DATABASE_URL", "postgresql://payment_worker@h/db"}});
  const auto sources = dead_letter_sources(env);
  ASSERT_EQ(sources.size(), 5U);
  EXPECT_EQ(sources[0].table.service, "order-service");
  EXPECT_EQ(sources[0].table.schema, "order_service");
  EXPECT_EQ(sources[0].database_url, "postgresql://owner@h/db");
  EXPECT_EQ(sources[2].table.schema, "payment_worker");
  EXPECT_EQ(sources[2].database_url, "postgresql://payment_worker@h/db");
  EXPECT_THROW(dead_letter_sources(config::EnvReader(std::map<std::string, std::string>{})),
               config::ConfigError);
}

}  // namespace
}  // namespace choreo::dlq
