#include "process_monitor.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace choreo::bench {
namespace {

TEST(ProcessStat, ParsesTimesAfterACommandNameWithSpacesAndParentheses) {
  const auto stat = parse_proc_stat(
      "4242 (postgres: orders (x)) S 4000 4242 4242 0 -1 4194560 100 0 0 0 "
      "1500 250 30 7 20 0 1 0 12345 1000000 500 18446744073709551615");
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->ppid, 4000);
  EXPECT_EQ(stat->utime, 1500);
  EXPECT_EQ(stat->stime, 250);
  EXPECT_EQ(stat->cutime, 30);
  EXPECT_EQ(stat->cstime, 7);
}

TEST(ProcessStat, RejectsTruncatedText) {
  EXPECT_FALSE(parse_proc_stat("12 (x) S 1 2 3"));
  EXPECT_FALSE(parse_proc_stat("garbage"));
}

TEST(VmRss, ReadsKibibytes) {
  EXPECT_EQ(parse_vm_rss_kib("Name:\tx\nVmHWM:\t  9000 kB\nVmRSS:\t    8192 kB\n"), 8192);
  EXPECT_FALSE(parse_vm_rss_kib("Name:\tkthreadd\n"));
}

TEST(ProcessMonitor, SeesItsOwnProcess) {
  ProcessMonitor monitor({{"self", static_cast<int>(getpid()), false}},
                         std::chrono::milliseconds(10));
  EXPECT_GT(monitor.peak_rss_kib().at("self"), 0);
  EXPECT_GE(monitor.cpu_seconds().at("self"), 0.0);
}

}  // namespace
}  // namespace choreo::bench
