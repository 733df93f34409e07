#include "runtime/file_descriptor_limit.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace choreo::runtime {
namespace {

TEST(FileDescriptorLimit, RaisesTheSoftLimitToTheHardOne) {
  const auto limit = raise_file_descriptor_limit();
  ASSERT_TRUE(limit.has_value());
  rlimit now{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &now), 0);
  EXPECT_EQ(limit->soft, now.rlim_cur);
  EXPECT_GE(limit->soft, limit->before);
  if (now.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(now.rlim_cur, now.rlim_max);
  }
  // Again: nothing left to raise.
  const auto again = raise_file_descriptor_limit();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->before, again->soft);
}

TEST(FileDescriptorLimit, ConnectionsFitWithRoomForTheRest) {
  FileDescriptorLimit limit;
  limit.soft = 1024;
  EXPECT_TRUE(fits_connections(limit, 1024 - kDescriptorHeadroom));
  EXPECT_FALSE(fits_connections(limit, 1024 - kDescriptorHeadroom + 1));
  EXPECT_FALSE(fits_connections(limit, 1024));  // the default HTTP_MAX_CONNECTIONS needs more
  limit.soft = 1 << 20;
  EXPECT_TRUE(fits_connections(limit, 100'000));
}

}  // namespace
}  // namespace choreo::runtime
