#include "process_monitor.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace choreo::bench {
namespace {

std::optional<std::string> read_small_file(const std::string& path) {
  std::ifstream file(path);
  if (!file)
    return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::optional<ProcessStat> read_stat(int pid) {
  const auto text = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text)
    return std::nullopt;
  return parse_proc_stat(*text);
}

long long own_ticks(const ProcessStat& stat) {
  return stat.utime + stat.stime + stat.cutime + stat.cstime;
}

// Every live process whose parent is `root`, from one pass over /proc.
std::vector<ProcessStat> children_of(int root) {
  std::vector<ProcessStat> children;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    int pid = 0;
    const auto [rest, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (error != std::errc() || rest != name.data() + name.size())
      continue;
    if (auto stat = read_stat(pid); stat && stat->ppid == root)
      children.push_back(*stat);
  }
  return children;
}

}  // namespace

std::optional<ProcessStat> parse_proc_stat(std::string_view text) {
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses:
  // the fields that follow start after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string_view::npos)
    return std::nullopt;
  std::istringstream fields{std::string(text.substr(close + 1))};
  std::string state;
  ProcessStat stat;
  long long skipped = 0;
  fields >> state >> stat.ppid;
  for (int i = 0; i < 9; ++i)  // pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
    fields >> skipped;
  fields >> stat.utime >> stat.stime >> stat.cutime >> stat.cstime;
  if (!fields)
    return std::nullopt;
  return stat;
}

std::optional<long long> parse_vm_rss_kib(std::string_view status) {
  constexpr std::string_view key = "VmRSS:";
  const auto at = status.find(key);
  if (at == std::string_view::npos)
    return std::nullopt;
  auto rest = status.substr(at + key.size());
  const auto digits = rest.find_first_of("0123456789");
  if (digits == std::string_view::npos)
    return std::nullopt;
  rest = rest.substr(digits);
  long long kib = 0;
  if (std::from_chars(rest.data(), rest.data() + rest.size(), kib).ec != std::errc())
    return std::nullopt;
  return kib;
}

ProcessMonitor::ProcessMonitor(std::vector<WatchedProcess> processes,
                               std::chrono::milliseconds interval)
    : processes_(std::move(processes)), interval_(interval) {
  sample();
  thread_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      std::this_thread::sleep_for(interval_);
      sample();
    }
  });
}

ProcessMonitor::~ProcessMonitor() {
  thread_.request_stop();
}

void ProcessMonitor::sample() {
  for (const auto& process : processes_) {
    if (process.tree)
      continue;
    const auto status = read_small_file("/proc/" + std::to_string(process.pid) + "/status");
    if (!status)
      continue;
    if (const auto kib = parse_vm_rss_kib(*status)) {
      std::lock_guard lock(mutex_);
      auto& peak = peaks_[process.name];
      peak = std::max(peak, *kib);
    }
  }
}

std::map<std::string, double> ProcessMonitor::cpu_seconds() const {
  const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::map<std::string, double> seconds;
  for (const auto& process : processes_) {
    const auto stat = read_stat(process.pid);
    if (!stat)
      continue;
    long long ticks = own_ticks(*stat);
    // A child that exits is added to the root's cutime/cstime once reaped; until then it is
    // counted here as a live child, so a backend's time is never lost nor counted twice.
    if (process.tree) {
      for (const auto& child : children_of(process.pid))
        ticks += own_ticks(child);
    }
    seconds[process.name] = static_cast<double>(ticks) / ticks_per_second;
  }
  return seconds;
}

std::map<std::string, long long> ProcessMonitor::peak_rss_kib() const {
  std::lock_guard lock(mutex_);
  return peaks_;
}

}  // namespace choreo::bench
