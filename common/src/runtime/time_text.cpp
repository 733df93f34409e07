#include "runtime/time_text.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace choreo::runtime {

std::string iso_time_from_ns(std::int64_t ns) {
  if (ns <= 0)
    return "";
  const std::time_t seconds = static_cast<std::time_t>(ns / 1'000'000'000);
  const int millis = static_cast<int>((ns / 1'000'000) % 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  const auto length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char text[48];
  std::snprintf(text, sizeof text, "%.*s.%03dZ", static_cast<int>(length), buffer, millis);
  return text;
}

std::string duration_text(double seconds) {
  if (!(seconds > 0))
    return "0ms";
  char text[32];
  if (seconds < 1) {
    std::snprintf(text, sizeof text, "%.0fms", std::floor(seconds * 1000));
  } else if (seconds < 60) {
    std::snprintf(text, sizeof text, "%.1fs", std::floor(seconds * 10) / 10);
  } else {
    const auto whole = static_cast<long long>(seconds);
    if (whole < 3600) {
      std::snprintf(text, sizeof text, "%lldm%02llds", whole / 60, whole % 60);
    } else if (whole < 86400) {
      std::snprintf(text, sizeof text, "%lldh%02lldm", whole / 3600, whole % 3600 / 60);
    } else {
      std::snprintf(text, sizeof text, "%lldd%02lldh", whole / 86400, whole % 86400 / 3600);
    }
  }
  return text;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace choreo::runtime
