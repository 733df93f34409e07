// choreo-bench: drives a running stack with createOrder and order(id) over keep-alive HTTP and
// reports throughput, latency, memory and CPU; then checks the run's invariants in SQL and exits
// 1 when one is violated. Run by `./dev bench` (tools/harness/commands/bench.py) against a stack of
// its own.
#include <signal.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "bench_database.hpp"
#include "bench_options.hpp"
#include "graphql_connection.hpp"
#include "process_monitor.hpp"
#include "report.hpp"
#include "scenarios.hpp"

namespace {

using namespace choreo::bench;

// Unique per run, so a run's catalogue and orders never collide with an earlier run's.
std::string make_run_id() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  char text[32];
  std::snprintf(text, sizeof text, "%llx%x",
                static_cast<unsigned long long>(
                    std::chrono::duration_cast<std::chrono::seconds>(now).count()),
                static_cast<unsigned>(getpid() & 0xffff));
  return text;
}

bool process_is_alive(int pid) {
  return kill(pid, 0) == 0 || errno != ESRCH;
}

// What a run may not show, whatever the speed: besides the SQL invariants, failed requests,
// scenarios that created nothing, and orders that never finished.
void add_run_failures(const BenchOptions& options, const BenchReport& report,
                      const SaturationResult& seed, std::vector<std::string>& failures) {
  const auto& s = report.saturation;
  const auto& l = report.latency;
  if (options.saturation && s.created == 0)
    failures.push_back("the saturation scenario created no order");
  if (options.latency && l.created == 0)
    failures.push_back("the latency scenario created no order");
  if (options.reads && report.reads.requests == 0)
    failures.push_back("the read scenario read no order");
  if ((options.saturation && !s.drained) || (options.latency && !l.drained) ||
      (seed.created > 0 && !seed.drained))
    failures.push_back("orders were still in flight when the drain timed out");
  if (l.shipped_measured < l.created) {
    failures.push_back("the event monitor recorded events.order.shipped for only " +
                       std::to_string(l.shipped_measured) + " of the latency scenario's " +
                       std::to_string(l.created) + " orders");
  }
  const long long errors =
      s.errors.count + l.errors.count + report.reads.errors.count + seed.errors.count;
  if (errors > 0)
    failures.push_back(std::to_string(errors) + " requests failed");
}

int run(const BenchOptions& options) {
  const auto endpoint = resolve_graphql_endpoint(options.graphql_url, options.token);
  BenchDatabase database(options.database_url, options.service_database_urls);
  BenchReport report;
  report.run_id = make_run_id();
  report.quick = options.quick;

  // Stock far beyond what any run orders: a failure for lack of stock is a bug, not load.
  constexpr int kSkus = 16;
  constexpr int kStockPerSku = 100'000'000;
  const auto skus = database.seed_catalogue(report.run_id, kSkus, kStockPerSku);
  const auto since = database.watermarks();

  auto processes = options.processes;
  processes.push_back({"choreo-bench", static_cast<int>(getpid()), false});
  ProcessMonitor monitor(processes, std::chrono::milliseconds(200));

  std::cerr << "bench: run " << report.run_id << (options.quick ? " (quick)" : "") << ", " << kSkus
            << " SKUs of its own, " << options.graphql_url << "\n";
  boost::asio::io_context io(1);
  ScenarioContext context{io, options, endpoint, skus, report.run_id, database, monitor};

  if (options.saturation) {
    std::cerr << "bench: saturation (closed loop, " << options.saturation_clients << " clients, "
              << options.saturation_duration.count() << " s, then drain)\n";
    report.saturation = run_saturation(context);
    std::cout << saturation_line(report.saturation) << std::endl;
  }

  // Orders for the read scenario when the saturation scenario does not make them: the same
  // load, shorter, left out of the report (its CPU and latency would pass for the scenario's).
  SaturationResult seed;
  if (options.reads && !options.saturation) {
    auto seed_options = options;
    seed_options.saturation_duration = options.seed_duration;
    ScenarioContext seed_context{io,       seed_options, endpoint, skus, report.run_id,
                                 database, monitor};
    std::cerr << "bench: creating orders to read (" << options.seed_duration.count()
              << " s of the saturation load, then drain; not reported)\n";
    seed = run_saturation(seed_context);
  }

  if (options.latency) {
    std::cerr << "bench: latency (open loop, " << options.latency_rate << " orders/s, "
              << options.latency_duration.count() << " s)\n";
    report.latency = run_latency(context);
    std::cout << latency_line(report.latency) << std::endl;
  }

  if (options.reads) {
    std::cerr << "bench: analyzing the tables order(id) reads\n";
    database.analyze_read_tables();
    std::cerr << "bench: reads (" << options.read_clients << " clients, "
              << options.read_duration.count() << " s)\n";
    report.reads =
        run_reads(context, options.saturation ? report.saturation.order_ids : seed.order_ids);
    std::cout << reads_line(report.reads) << std::endl;
  }

  report.peak_rss_kib = monitor.peak_rss_kib();
  std::cout << resources_line(report) << std::endl;

  report.violations = database.check_invariants(
      since, report.saturation.created + report.latency.created + seed.created);
  add_run_failures(options, report, seed, report.violations);
  // A service that crashed during the run fails it, even when its restart would have healed it.
  for (const auto& process : options.processes) {
    if (!process_is_alive(process.pid))
      report.violations.push_back(process.name + " (pid " + std::to_string(process.pid) +
                                  ") is no longer running: it exited during the run");
  }
  if (report.violations.empty()) {
    std::cout << "invariants: every order terminal, none failed, one succeeded payment and one "
                 "shipment per shipped order, 0 <= reserved <= quantity, no dead letters: ok"
              << std::endl;
  } else {
    for (const auto& violation : report.violations)
      std::cout << "VIOLATION: " << violation << std::endl;
  }
  std::cout << to_json(report).dump() << std::endl;
  return report.violations.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  try {
    options = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const UsageError& error) {
    std::cerr << "choreo-bench: " << error.what() << "\n" << usage_text();
    return 2;
  }
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "choreo-bench: " << error.what() << "\n";
    return 1;
  }
}
