#include "runtime/file_descriptor_limit.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace choreo::runtime {
namespace {

// With an unlimited hard limit the kernel still refuses a soft limit above fs.nr_open.
std::uint64_t kernel_descriptor_ceiling() {
  std::ifstream file("/proc/sys/fs/nr_open");
  std::uint64_t value = 0;
  if (file >> value && value > 0)
    return value;
  return std::uint64_t{1} << 20;  // the kernel's default nr_open
}

}  // namespace

std::optional<FileDescriptorLimit> raise_file_descriptor_limit() {
  rlimit current{};
  if (::getrlimit(RLIMIT_NOFILE, &current) != 0)
    return std::nullopt;
  FileDescriptorLimit limit;
  limit.before = current.rlim_cur;
  limit.soft = current.rlim_cur;
  limit.hard = current.rlim_max;
  const std::uint64_t target =
      current.rlim_max == RLIM_INFINITY ? kernel_descriptor_ceiling() : current.rlim_max;
  if (current.rlim_cur != RLIM_INFINITY && current.rlim_cur < target) {
    rlimit raised = current;
    raised.rlim_cur = static_cast<rlim_t>(target);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit.soft = target;
    } else {
      spdlog::warn("cannot raise the open-file limit from {} to {}: {}", current.rlim_cur, target,
                   std::strerror(errno));
    }
  }
  return limit;
}

bool fits_connections(const FileDescriptorLimit& limit, std::size_t max_connections) {
  return static_cast<std::uint64_t>(max_connections) + kDescriptorHeadroom <= limit.soft;
}

void prepare_file_descriptors(std::size_t max_connections) {
  const auto limit = raise_file_descriptor_limit();
  if (!limit) {
    spdlog::warn("cannot read the open-file limit (RLIMIT_NOFILE): {}", std::strerror(errno));
    return;
  }
  if (limit->soft != limit->before) {
    spdlog::info("open-file limit raised from {} to {} (the hard limit)", limit->before,
                 limit->soft);
  } else {
    spdlog::info("open-file limit: {} (hard limit {})", limit->soft, limit->hard);
  }
  if (!fits_connections(*limit, max_connections)) {
    spdlog::warn(
        "HTTP_MAX_CONNECTIONS is {} but only {} files may be open ({} are kept for the database, "
        "NATS and logs): connections will fail before that; raise the hard limit (ulimit -Hn, "
        "systemd LimitNOFILE=) or lower HTTP_MAX_CONNECTIONS",
        max_connections, limit->soft, kDescriptorHeadroom);
  }
}

}  // namespace choreo::runtime
