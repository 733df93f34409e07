#include "observers/observer_config.hpp"

#include <cpptoml.h>
#include <gtest/gtest.h>

#include "config/env.hpp"
#include "config/toml_file.hpp"
#include "observers/observer_installer.hpp"

namespace choreo::order_service {
namespace {

const config::EnvReader kEnv(std::map<std::string, std::string>{});

ObserverConfig parse(const std::string& text) {
  return parse_observer_config(*config::parse_toml(text, "test.toml", kEnv), "test.toml");
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const config::ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(ObserverConfig, TheBuiltInFileDescribesTheContractsEvents) {
  const auto config = load_observer_config(kEnv);
  EXPECT_EQ(config.source, "order-service");
  ASSERT_EQ(config.rules.size(), 2u);
  EXPECT_EQ(config.rules[0].table, "tb_order");
  EXPECT_EQ(config.rules[0].event, "INSERT");
  EXPECT_EQ(config.rules[0].subject, "events.order.created");
  EXPECT_EQ(config.rules[1].event, "UPDATE");
  EXPECT_EQ(config.rules[1].columns, std::vector<std::string>{"status"});
  EXPECT_EQ(config.rules[1].subject, "events.order.status_updated");
  EXPECT_EQ(config.batch_size, 256);
  EXPECT_EQ(config.flush_interval, std::chrono::milliseconds(100));
}

TEST(ObserverConfig, RejectsWhatWouldBeUnsafeOrWrong) {
  const std::string head = "source = \"order-service\"\n[[observer]]\n";
  EXPECT_NE(
      error_of(head +
               "table = \"tb_order; DROP TABLE x\"\nevent = \"INSERT\"\nsubject = \"events.a\"\n")
          .find("not a plain table name"),
      std::string::npos);
  EXPECT_NE(error_of(head + "table = \"tb_order\"\nevent = \"DELETE\"\nsubject = \"events.a\"\n")
                .find("INSERT"),
            std::string::npos);
  EXPECT_NE(error_of(head + "table = \"tb_order\"\nevent = \"INSERT\"\nsubject = \"orders.a\"\n")
                .find("subject"),
            std::string::npos);
  EXPECT_NE(error_of(head + "table = \"tb_order\"\nevent = \"INSERT\"\nsubject = "
                            "\"events.a\"\ncolumns = [\"status\"]\n")
                .find("UPDATE only"),
            std::string::npos);
  EXPECT_NE(error_of(head + "table = \"tb_order\"\nevent = \"INSERT\"\nsubjet = \"events.a\"\n")
                .find("unknown key \"subjet\""),
            std::string::npos);
  EXPECT_NE(error_of("source = \"order-service\"\n").find("no [[observer]] rules"),
            std::string::npos);
  EXPECT_NE(error_of(head + "table = \"tb_order\"\nevent = \"INSERT\"\nsubject = \"events.a\"\n"
                            "[relay]\nflush_interval = \"soon\"\n")
                .find("flush_interval"),
            std::string::npos);
}

TEST(ObserverRule, TriggerNamesAreStablePerRuleAndSource) {
  const auto config = load_observer_config(kEnv);
  const auto name = config.rules[0].trigger_name(config.source);
  EXPECT_EQ(name, config.rules[0].trigger_name(config.source));
  EXPECT_EQ(name.rfind(observer_trigger_prefix(config.source), 0), 0u);
  EXPECT_NE(name, config.rules[1].trigger_name(config.source));
  auto changed = config.rules[0];
  changed.subject = "events.order.placed";
  EXPECT_NE(name, changed.trigger_name(config.source)) << "a changed rule is a new trigger";
  EXPECT_LE(name.size(), 63u);
}

TEST(ObserverRule, UpdateTriggersFireOnlyWhenTheirColumnsChange) {
  const auto config = load_observer_config(kEnv);
  const auto ddl = trigger_ddl(config.rules[1], config.source);
  EXPECT_NE(ddl.find("AFTER UPDATE OF status ON tb_order"), std::string::npos) << ddl;
  EXPECT_NE(ddl.find("DEFERRABLE INITIALLY DEFERRED"), std::string::npos);
  EXPECT_NE(ddl.find("WHEN (OLD.status IS DISTINCT FROM NEW.status)"), std::string::npos);
  EXPECT_NE(ddl.find("fn_observe('order-service', 'events.order.status_updated')"),
            std::string::npos);
}

}  // namespace
}  // namespace choreo::order_service
