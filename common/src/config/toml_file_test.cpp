#include "config/toml_file.hpp"

#include <cpptoml.h>
#include <gtest/gtest.h>

#include "config/env.hpp"

namespace choreo::config {
namespace {

const EnvReader kEnv(std::map<std::string, std::string>{{"NATS_URL", "nats://127.0.0.1:4222"},
                                                        {"BATCH", "64"}});

TEST(ExpandEnv, ReplacesVariablesAndKeepsEscapes) {
  EXPECT_EQ(expand_env("url=${NATS_URL}/x", kEnv, "t"), "url=nats://127.0.0.1:4222/x");
  EXPECT_EQ(expand_env("$${NATS_URL}", kEnv, "t"), "${NATS_URL}");
  EXPECT_EQ(expand_env("no variables", kEnv, "t"), "no variables");
}

TEST(ExpandEnv, UnsetVariableNamesWhatToSet) {
  try {
    expand_env("${DATABASE_URL}", kEnv, "observers.toml: database.url");
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("set DATABASE_URL"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("observers.toml"), std::string::npos);
  }
  EXPECT_THROW(expand_env("${OPEN", kEnv, "t"), ConfigError);
}

TEST(ParseToml, ArraysOfTablesWithExpandedStrings) {
  // The shape the order service's observers file takes: an array of rules plus a table of
  // settings, which the seed's file wrote as invalid TOML ([[observers]] and [observers]).
  const auto table = parse_toml(R"(
[[observer]]
table = "tb_order"
event = "INSERT"
subject = "events.order.created"

[[observer]]
table = "tb_order"
event = "UPDATE"
subject = "events.order.status_updated"

[observers]
backend = "nats"
nats_url = "${NATS_URL}"
batch_size = 64
)",
                                "observers.toml", kEnv);
  const auto rules = table->get_table_array("observer");
  ASSERT_TRUE(rules);
  int count = 0;
  for (const auto& rule : *rules) {
    ++count;
    EXPECT_EQ(*rule->get_as<std::string>("table"), "tb_order");
  }
  EXPECT_EQ(count, 2);
  EXPECT_EQ(*table->get_qualified_as<std::string>("observers.nats_url"), "nats://127.0.0.1:4222");
  EXPECT_EQ(*table->get_qualified_as<int64_t>("observers.batch_size"), 64);
}

TEST(ParseToml, TheSeedsInvalidFileIsRejectedClearly) {
  try {
    parse_toml("[[observers]]\ntable = \"tb_order\"\n[observers]\nbackend = \"nats\"\n",
               "observers.toml", kEnv);
    FAIL() << "a table redefining an array of tables is not TOML";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("observers.toml is not valid TOML"),
              std::string::npos);
  }
}

TEST(LoadTomlFile, MissingFileIsAConfigError) {
  EXPECT_THROW(load_toml_file("/nonexistent/observers.toml", kEnv), ConfigError);
}

}  // namespace
}  // namespace choreo::config
