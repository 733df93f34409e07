#include "runtime/fault_points.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <charconv>

#include "config/env.hpp"

namespace choreo::runtime {

FaultPoints FaultPoints::parse(const std::string& spec) {
  FaultPoints points;
  std::size_t start = 0;
  while (start < spec.size()) {
    auto comma = spec.find(',', start);
    if (comma == std::string::npos)
      comma = spec.size();
    std::string item = spec.substr(start, comma - start);
    start = comma + 1;
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.empty())
      continue;
    Trigger trigger;
    const auto at = item.find('@');
    std::string name = item.substr(0, at);
    if (at != std::string::npos) {
      const auto count = item.substr(at + 1);
      const auto [ptr, ec] =
          std::from_chars(count.data(), count.data() + count.size(), trigger.fire_on_hit);
      if (ec != std::errc() || ptr != count.data() + count.size() || trigger.fire_on_hit < 1) {
        throw config::ConfigError("configuration: FAULT_POINT=\"" + spec +
                                  "\" is not valid; set FAULT_POINT to name[@N][,name[@N]...]");
      }
    }
    for (const char c : name) {
      if (!(std::islower(static_cast<unsigned char>(c)) || c == '_')) {
        throw config::ConfigError("configuration: FAULT_POINT=\"" + spec +
                                  "\" is not valid; fault point names are lower_snake_case");
      }
    }
    points.triggers_.emplace(std::move(name), std::move(trigger));
  }
  return points;
}

bool FaultPoints::armed(std::string_view name) const {
  return triggers_.find(name) != triggers_.end();
}

void FaultPoints::reach(std::string_view name) const {
  const auto found = triggers_.find(name);
  if (found == triggers_.end())
    return;
  const long hit = ++*found->second.hits;
  if (hit < found->second.fire_on_hit)
    return;
  spdlog::critical("FAULT_POINT {} reached (hit {}): exiting with code {} as a crash would", name,
                   hit, kFaultExitCode);
  spdlog::default_logger()->flush();
  ::_exit(kFaultExitCode);
}

}  // namespace choreo::runtime
