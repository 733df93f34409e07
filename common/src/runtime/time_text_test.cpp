#include "runtime/time_text.hpp"

#include <gtest/gtest.h>

namespace choreo::runtime {
namespace {

TEST(IsoTime, FromNanosecondsWithMilliseconds) {
  EXPECT_EQ(iso_time_from_ns(1'764'763'200'123'456'789), "2025-12-03T12:00:00.123Z");
  EXPECT_EQ(iso_time_from_ns(0), "");
}

TEST(DurationText, PicksTheUnitAnOperatorReadsAtAGlance) {
  EXPECT_EQ(duration_text(0.0123), "12ms");
  EXPECT_EQ(duration_text(12.34), "12.3s");
  EXPECT_EQ(duration_text(245), "4m05s");
  EXPECT_EQ(duration_text(7380), "2h03m");
  EXPECT_EQ(duration_text(3 * 86400 + 4 * 3600 + 5), "3d04h");
  EXPECT_EQ(duration_text(-2), "0ms");
}

}  // namespace
}  // namespace choreo::runtime
