#pragma once

#include <cstdint>
#include <string>

namespace choreo::runtime {

// "2026-12-03T12:00:00.123Z" for a UTC time in nanoseconds since the epoch; "" for 0 (never).
std::string iso_time_from_ns(std::int64_t ns);

// A duration as an operator reads it at a glance: "850ms", "12.3s", "4m05s", "2h03m", "3d04h".
// Negative durations (clocks of two hosts apart) read as "0ms".
std::string duration_text(double seconds);

// The current UTC time in nanoseconds since the epoch.
std::int64_t now_ns();

}  // namespace choreo::runtime
