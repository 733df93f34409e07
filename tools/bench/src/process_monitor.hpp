#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_options.hpp"

namespace choreo::bench {

// The fields of /proc/<pid>/stat the bench uses; times in clock ticks.
struct ProcessStat {
  int ppid = 0;
  long long utime = 0;
  long long stime = 0;
  long long cutime = 0;  // children that have exited and been waited for
  long long cstime = 0;
};

std::optional<ProcessStat> parse_proc_stat(std::string_view text);
// VmRSS of /proc/<pid>/status, in KiB.
std::optional<long long> parse_vm_rss_kib(std::string_view status);

// Samples the resident memory of the watched processes on a thread of its own (peaks only) and
// reads their CPU time on demand, all from /proc.
class ProcessMonitor {
 public:
  ProcessMonitor(std::vector<WatchedProcess> processes, std::chrono::milliseconds interval);
  ~ProcessMonitor();
  ProcessMonitor(const ProcessMonitor&) = delete;
  ProcessMonitor& operator=(const ProcessMonitor&) = delete;

  // CPU seconds (user + system, exited children included) used so far, by process name; a
  // process that is gone is missing. For a tree: the root plus its live children.
  std::map<std::string, double> cpu_seconds() const;
  // The highest RSS sampled so far, in KiB, by name (single processes only: a tree's backends
  // share memory, so their sum would mean nothing).
  std::map<std::string, long long> peak_rss_kib() const;

  const std::vector<WatchedProcess>& processes() const { return processes_; }

 private:
  void sample();

  std::vector<WatchedProcess> processes_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::map<std::string, long long> peaks_;
  std::jthread thread_;
};

}  // namespace choreo::bench
