#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "bench_database.hpp"
#include "bench_options.hpp"
#include "graphql_connection.hpp"
#include "latency_summary.hpp"
#include "process_monitor.hpp"

namespace choreo::bench {

// What every scenario needs: the one event loop all its clients share, where to send, what to
// order, and where to look.
struct ScenarioContext {
  boost::asio::io_context& io;
  const BenchOptions& options;
  const GraphqlEndpoint& endpoint;
  const std::vector<std::string>& skus;
  const std::string& run_id;
  BenchDatabase& database;
  const ProcessMonitor& monitor;
};

// How many requests failed, and the first failure as an example.
struct RequestErrors {
  long long count = 0;
  std::string first;

  void add(std::string what) {
    if (count++ == 0)
      first = std::move(what);
  }
};

struct SaturationResult {
  int clients = 0;
  double window_seconds = 0;
  long long created = 0;
  RequestErrors errors;
  double created_per_second = 0;
  // Orders that reached their end while the load ran, per second of the load.
  double terminal_in_window_per_second = 0;
  // All orders over the time from the first createOrder to the last terminal state.
  double terminal_per_second = 0;
  // From the last createOrder's response to the moment every order had reached its end.
  double drain_seconds = 0;
  bool drained = false;
  long long shipped = 0;
  long long failed = 0;
  LatencySummary create_latency;
  // CPU seconds each watched process spent from the start of the load to the end of the drain.
  std::map<std::string, double> cpu_seconds;
  std::vector<std::string> order_ids;  // for the read scenario
};

struct LatencyResult {
  int rate = 0;
  double window_seconds = 0;
  long long sent = 0;
  long long created = 0;
  RequestErrors errors;
  double achieved_rate = 0;
  bool drained = false;
  LatencySummary create_latency;   // from the moment each request was due to its response
  LatencySummary shipped_latency;  // from that moment to events.order.shipped's recorded_at
  long long shipped_measured = 0;
  std::map<std::string, double> cpu_seconds;
};

struct ReadResult {
  int clients = 0;
  double window_seconds = 0;
  long long requests = 0;
  RequestErrors errors;
  double requests_per_second = 0;
  LatencySummary latency;
};

SaturationResult run_saturation(ScenarioContext& context);
LatencyResult run_latency(ScenarioContext& context);
ReadResult run_reads(ScenarioContext& context, const std::vector<std::string>& order_ids);

}  // namespace choreo::bench
