#include "http/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace choreo::http {
namespace {

// Reads a small /proc file whole; /proc files report size 0, so no size-based read.
std::optional<std::string> read_small_file(const char* path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

std::optional<std::uint64_t> to_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

prometheus::MetricFamily family(std::string name, std::string help, prometheus::MetricType type,
                                double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return prometheus::MetricFamily{std::move(name), std::move(help), type, {metric}};
}

std::optional<std::size_t> count_open_fds() {
  std::error_code ec;
  std::size_t count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  if (ec) {
    return std::nullopt;
  }
  return count > 0 ? count - 1 : 0;  // minus the descriptor the iteration itself holds
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
  const auto name_end = text.rfind(')');
  if (name_end == std::string_view::npos) {
    return std::nullopt;
  }
  std::vector<std::string_view> fields;  // fields[0] is field 3 ("state") of proc(5)
  std::size_t pos = name_end + 1;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n')) {
      ++pos;
    }
    const auto end = text.find_first_of(" \n", pos);
    const auto stop = end == std::string_view::npos ? text.size() : end;
    if (stop > pos) {
      fields.push_back(text.substr(pos, stop - pos));
    }
    pos = stop;
  }
  constexpr std::size_t kFirst = 3;  // proc(5) numbers fields from 1; we start at 3
  const auto field = [&fields](std::size_t number) -> std::optional<std::uint64_t> {
    if (number - kFirst >= fields.size()) {
      return std::nullopt;
    }
    return to_number(fields[number - kFirst]);
  };
  const auto utime = field(14);
  const auto stime = field(15);
  const auto starttime = field(22);
  const auto vsize = field(23);
  const auto rss = field(24);
  if (!utime || !stime || !starttime || !vsize || !rss) {
    return std::nullopt;
  }
  return ProcStat{*utime, *stime, *starttime, *vsize, *rss};
}

std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat) {
  std::size_t pos = 0;
  while (pos < proc_stat.size()) {
    const auto end = proc_stat.find('\n', pos);
    const auto line = proc_stat.substr(pos, end == std::string_view::npos ? end : end - pos);
    constexpr std::string_view kKey = "btime ";
    if (line.substr(0, kKey.size()) == kKey) {
      return to_number(line.substr(kKey.size()));
    }
    if (end == std::string_view::npos) {
      break;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::vector<prometheus::MetricFamily> collect_process_metrics() {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  const long page_size = sysconf(_SC_PAGESIZE);

  const auto self = read_small_file("/proc/self/stat");
  const auto stat = self ? parse_proc_stat(*self) : std::nullopt;
  if (stat && ticks_per_second > 0 && page_size > 0) {
    const double ticks = static_cast<double>(ticks_per_second);
    families.push_back(family(
        "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
        MetricType::Counter, static_cast<double>(stat->user_ticks + stat->system_ticks) / ticks));
    families.push_back(
        family("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
               static_cast<double>(stat->resident_pages) * static_cast<double>(page_size)));
    families.push_back(family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                              MetricType::Gauge, static_cast<double>(stat->virtual_bytes)));
    const auto system = read_small_file("/proc/stat");
    if (const auto boot = system ? parse_boot_time(*system) : std::nullopt) {
      families.push_back(
          family("process_start_time_seconds",
                 "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
                 static_cast<double>(*boot) + static_cast<double>(stat->start_ticks) / ticks));
    }
  }
  if (const auto fds = count_open_fds()) {
    families.push_back(family("process_open_fds", "Number of open file descriptors.",
                              MetricType::Gauge, static_cast<double>(*fds)));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    families.push_back(family("process_max_fds", "Maximum number of open file descriptors.",
                              MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return families;
}

}  // namespace choreo::http
