#include "cli/dispatch.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "cli/options.hpp"
#include "config/env.hpp"

namespace choreo::ctl {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome run(const std::vector<std::string>& args, const std::vector<Command>& commands) {
  const config::EnvReader env(std::map<std::string, std::string>{});
  std::ostringstream out;
  std::ostringstream err;
  const int code = run_cli(args, commands, env, out, err);
  return {code, out.str(), err.str()};
}

Command throwing(const std::string& name, std::function<void()> thrower) {
  return Command{name, name + " [--x X]", "test command", "", [thrower](const CommandContext&) {
                   thrower();
                   return kExitOk;
                 }};
}

TEST(RunCli, RunsTheNamedCommandWithTheRemainingArguments) {
  std::vector<std::string> seen;
  const std::vector<Command> commands = {
      Command{"echo", "echo ARGS", "echoes", "", [&](const CommandContext& context) {
                seen = context.args;
                context.out << "ok\n";
                return 7;
              }}};
  const auto outcome = run({"echo", "a", "--b"}, commands);
  EXPECT_EQ(outcome.code, 7);
  EXPECT_EQ(outcome.out, "ok\n");
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "--b"}));
}

TEST(RunCli, NoCommandOrAnUnknownOneIsAUsageError) {
  const std::vector<Command> commands = {throwing("a", [] {})};
  EXPECT_EQ(run({}, commands).code, kExitUsage);
  const auto unknown = run({"nope"}, commands);
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_NE(unknown.err.find("unknown command \"nope\""), std::string::npos);
}

TEST(RunCli, ConfigErrorsPrintTheirLineAndExitTwo) {
  const std::vector<Command> commands = {
      throwing("a", [] { throw config::ConfigError("configuration: set X (why)"); })};
  const auto outcome = run({"a"}, commands);
  EXPECT_EQ(outcome.code, kExitUsage);
  EXPECT_EQ(outcome.err, "configuration: set X (why)\n");
}

TEST(RunCli, UsageErrorsShowTheUsage) {
  const std::vector<Command> commands = {throwing("a", [] { throw UsageError("bad flag"); })};
  const auto outcome = run({"a"}, commands);
  EXPECT_EQ(outcome.code, kExitUsage);
  EXPECT_EQ(outcome.err, "choreoctl a: bad flag (usage: choreoctl a [--x X])\n");
}

TEST(RunCli, FailuresAreOneLineAndExitOne) {
  const std::vector<Command> commands = {throwing(
      "a", [] { throw std::runtime_error("could not connect\n\tIs the server running?\n"); })};
  const auto outcome = run({"a"}, commands);
  EXPECT_EQ(outcome.code, kExitFailure);
  EXPECT_EQ(outcome.err, "choreoctl a: could not connect Is the server running?\n");
}

TEST(RunCli, HelpFlagListsCommands) {
  const std::vector<Command> commands = {throwing("alpha", [] {})};
  const auto outcome = run({"--help"}, commands);
  EXPECT_EQ(outcome.code, kExitOk);
  EXPECT_NE(outcome.out.find("alpha"), std::string::npos);
}

}  // namespace
}  // namespace choreo::ctl
