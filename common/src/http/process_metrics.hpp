#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

namespace choreo::http {

// The fields of /proc/<pid>/stat that the process metrics need, in their raw units.
struct ProcStat {
  std::uint64_t user_ticks = 0;
  std::uint64_t system_ticks = 0;
  std::uint64_t start_ticks = 0;  // since boot
  std::uint64_t virtual_bytes = 0;
  std::uint64_t resident_pages = 0;
};

// Parses the one line of /proc/<pid>/stat; nullopt if it is not in the documented shape.
std::optional<ProcStat> parse_proc_stat(std::string_view text);
// The "btime" of /proc/stat: the boot time in seconds since the epoch.
std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat);

// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_start_time_seconds, process_open_fds and process_max_fds for this process, read from
// /proc now. A value that cannot be read is left out rather than reported as zero.
std::vector<prometheus::MetricFamily> collect_process_metrics();

}  // namespace choreo::http
