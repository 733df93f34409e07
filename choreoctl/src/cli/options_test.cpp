#include "cli/options.hpp"

#include <gtest/gtest.h>

namespace choreo::ctl {
namespace {

TEST(ParseArgs, AcceptsSpaceAndEqualsForms) {
  const auto parsed = parse_args({"--sub", "alice", "--ttl=30m"}, {"sub", "ttl"});
  EXPECT_EQ(parsed.option("sub"), "alice");
  EXPECT_EQ(parsed.option("ttl"), "30m");
  EXPECT_FALSE(parsed.option("other").has_value());
}

TEST(ParseArgs, RejectsUnknownRepeatedAndValuelessOptions) {
  EXPECT_THROW(parse_args({"--nope", "x"}, {"sub"}), UsageError);
  EXPECT_THROW(parse_args({"-s"}, {"sub"}), UsageError);
  EXPECT_THROW(parse_args({"--sub", "a", "--sub", "b"}, {"sub"}), UsageError);
  EXPECT_THROW(parse_args({"--sub"}, {"sub"}), UsageError);
}

TEST(ParseArgs, CountsPositionals) {
  EXPECT_THROW(parse_args({"extra"}, {}), UsageError);
  const auto parsed = parse_args({"one", "--", "--two"}, {}, 2);
  ASSERT_EQ(parsed.positionals.size(), 2U);
  EXPECT_EQ(parsed.positionals[0], "one");
  EXPECT_EQ(parsed.positionals[1], "--two");
}

TEST(ParseArgs, AnEmptyValueIsAValue) {
  EXPECT_EQ(parse_args({"--sub="}, {"sub"}).option("sub"), "");
}

TEST(ParseArgs, RejectsOverlongArguments) {
  EXPECT_THROW(parse_args({"--sub", std::string(5000, 'a')}, {"sub"}), UsageError);
}

TEST(ParseArgs, SwitchesTakeNoValue) {
  const auto parsed =
      parse_args({"--all", "ID", "--consumer", "c"}, {"consumer"}, 1, {"all", "json"});
  EXPECT_TRUE(parsed.flag("all"));
  EXPECT_FALSE(parsed.flag("json"));
  EXPECT_EQ(parsed.option("consumer"), "c");
  ASSERT_EQ(parsed.positionals.size(), 1U);
  EXPECT_EQ(parsed.positionals[0], "ID");
  EXPECT_THROW(parse_args({"--all=yes"}, {}, 0, {"all"}), UsageError);
  EXPECT_THROW(parse_args({"--all", "--all"}, {}, 0, {"all"}), UsageError);
  EXPECT_THROW(parse_args({"--json"}, {}, 0, {"all"}), UsageError);
}

}  // namespace
}  // namespace choreo::ctl
