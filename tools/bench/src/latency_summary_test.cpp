#include "latency_summary.hpp"

#include <gtest/gtest.h>

namespace choreo::bench {
namespace {

TEST(LatencySummary, EmptyHasZeroes) {
  const auto summary = summarize_latencies({});
  EXPECT_EQ(summary.count, 0u);
  EXPECT_EQ(summary.max, 0);
}

TEST(LatencySummary, NearestRankOfOneToHundred) {
  std::vector<double> samples;
  for (int i = 100; i >= 1; --i)
    samples.push_back(i);
  const auto summary = summarize_latencies(samples);
  EXPECT_EQ(summary.count, 100u);
  EXPECT_EQ(summary.p50, 50);
  EXPECT_EQ(summary.p95, 95);
  EXPECT_EQ(summary.p99, 99);
  EXPECT_EQ(summary.max, 100);
}

TEST(LatencySummary, OneSampleIsEveryPercentile) {
  const auto summary = summarize_latencies({7.5});
  EXPECT_EQ(summary.p50, 7.5);
  EXPECT_EQ(summary.p99, 7.5);
  EXPECT_EQ(summary.max, 7.5);
}

}  // namespace
}  // namespace choreo::bench
