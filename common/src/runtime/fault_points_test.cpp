#include "runtime/fault_points.hpp"

#include <gtest/gtest.h>

#include "config/env.hpp"

namespace choreo::runtime {
namespace {

TEST(FaultPoints, ParsesNamesAndCounts) {
  const auto points = FaultPoints::parse("after_commit_before_ack, before_commit@3");
  EXPECT_TRUE(points.armed("after_commit_before_ack"));
  EXPECT_TRUE(points.armed("before_commit"));
  EXPECT_FALSE(points.armed("after_publish_before_mark_sent"));
}

TEST(FaultPoints, EmptyMeansNothingArmed) {
  const auto points = FaultPoints::parse("");
  EXPECT_FALSE(points.armed("after_commit_before_ack"));
  points.reach("after_commit_before_ack");  // must return, not exit
}

TEST(FaultPoints, RejectsMalformedSpecs) {
  EXPECT_THROW(FaultPoints::parse("Bad-Name"), config::ConfigError);
  EXPECT_THROW(FaultPoints::parse("x@0"), config::ConfigError);
  EXPECT_THROW(FaultPoints::parse("x@two"), config::ConfigError);
}

TEST(FaultPointsDeathTest, ArmedPointExitsWithTheFaultCodeOnTheNthHit) {
  const auto points = FaultPoints::parse("before_commit@2");
  EXPECT_EXIT(
      {
        points.reach("before_commit");
        points.reach("before_commit");
      },
      ::testing::ExitedWithCode(FaultPoints::kFaultExitCode), "");
}

}  // namespace
}  // namespace choreo::runtime
