#include "latency_summary.hpp"

#include <algorithm>
#include <cmath>

namespace choreo::bench {
namespace {

double nearest_rank(const std::vector<double>& sorted, double percent) {
  const auto rank =
      static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

LatencySummary summarize_latencies(std::vector<double> milliseconds) {
  LatencySummary summary;
  summary.count = milliseconds.size();
  if (milliseconds.empty())
    return summary;
  std::sort(milliseconds.begin(), milliseconds.end());
  summary.p50 = nearest_rank(milliseconds, 50);
  summary.p95 = nearest_rank(milliseconds, 95);
  summary.p99 = nearest_rank(milliseconds, 99);
  summary.max = milliseconds.back();
  return summary;
}

}  // namespace choreo::bench
