#pragma once

#include <cstddef>
#include <vector>

namespace choreo::bench {

// Percentiles of a set of durations, in milliseconds.
struct LatencySummary {
  std::size_t count = 0;
  double p50 = 0;
  double p95 = 0;
  double p99 = 0;
  double max = 0;
};

// Nearest-rank percentiles (the smallest sample with at least p% of the samples at or below
// it), so a reported p99 is a latency some request actually saw. Takes the samples by value: it
// sorts them.
LatencySummary summarize_latencies(std::vector<double> milliseconds);

}  // namespace choreo::bench
