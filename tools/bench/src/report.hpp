#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenarios.hpp"

namespace choreo::bench {

// What the bench prints: one summary line per scenario, a resources line, and one JSON object.
struct BenchReport {
  std::string run_id;
  bool quick = false;
  SaturationResult saturation;
  LatencyResult latency;
  ReadResult reads;
  std::map<std::string, long long> peak_rss_kib;
  std::vector<std::string> violations;
};

inline constexpr const char* kShippedTimeSource =
    "tb_event_log.recorded_at of events.order.shipped (the event monitor's clock_timestamp()) "
    "minus the time the createOrder request was due";

std::string saturation_line(const SaturationResult& result);
std::string latency_line(const LatencyResult& result);
std::string reads_line(const ReadResult& result);
std::string resources_line(const BenchReport& report);

// CPU seconds per 1,000 orders that reached a terminal state, by process.
std::map<std::string, double> cpu_per_thousand_orders(const std::map<std::string, double>& cpu,
                                                      long long orders);

nlohmann::json to_json(const BenchReport& report);

}  // namespace choreo::bench
