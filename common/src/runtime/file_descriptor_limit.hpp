#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace choreo::runtime {

// The process's open-file limit (RLIMIT_NOFILE) after raise_file_descriptor_limit().
struct FileDescriptorLimit {
  std::uint64_t before = 0;  // the soft limit the process started with
  std::uint64_t soft = 0;    // the soft limit in force now: what open()/accept() are held to
  std::uint64_t hard = 0;    // the ceiling an unprivileged process may raise `soft` to
};

// Every socket is a file descriptor, and the soft limit that shells and service managers hand out
// is often 1024: a service meant to hold a thousand WebSockets would fail its accepts long before
// HTTP_MAX_CONNECTIONS. Raising the soft limit to the hard one needs no privilege. Call it early in
// main, before threads open descriptors. nullopt when the limit cannot be read.
std::optional<FileDescriptorLimit> raise_file_descriptor_limit();

// Descriptors a service holds besides its HTTP connections: the database pool, NATS, the
// listening socket, log files, the event and timer descriptors of its I/O loops.
inline constexpr std::size_t kDescriptorHeadroom = 64;

// True when `max_connections` sockets, plus kDescriptorHeadroom, fit under `limit.soft`.
bool fits_connections(const FileDescriptorLimit& limit, std::size_t max_connections);

// raise_file_descriptor_limit(), logged; warns when max_connections (HTTP_MAX_CONNECTIONS) does
// not fit under the resulting limit, since accepts would then fail with EMFILE under load.
void prepare_file_descriptors(std::size_t max_connections);

}  // namespace choreo::runtime
