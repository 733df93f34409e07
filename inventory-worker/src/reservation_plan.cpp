#include "reservation_plan.hpp"

namespace choreo::inventory_worker {
namespace {

std::map<std::string, long long> summed(const std::vector<events::OrderLine>& lines) {
  std::map<std::string, long long> total;
  for (const auto& line : lines)
    total[line.sku] += line.quantity;
  return total;
}

}  // namespace

std::vector<Demand> demand_by_sku(const std::vector<events::OrderLine>& lines) {
  std::vector<Demand> demand;
  for (auto& [sku, quantity] : summed(lines))
    demand.push_back({sku, quantity});
  return demand;
}

std::optional<std::string> first_shortfall(const std::vector<events::OrderLine>& lines,
                                           const Availability& available) {
  const auto wanted = summed(lines);
  for (const auto& line : lines) {
    const auto found = available.find(line.sku);
    const long long free = found == available.end() ? 0 : found->second;
    if (wanted.at(line.sku) > free)
      return line.sku;
  }
  return std::nullopt;
}

}  // namespace choreo::inventory_worker
