#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "events/payloads.hpp"

namespace choreo::inventory_worker {

// What an order asks of one product: its lines for that SKU summed (an order may name a SKU on
// several lines; stock is held per product).
struct Demand {
  std::string sku;
  long long quantity = 0;
};

// The order's demand per SKU, sorted by SKU in byte order. Every worker transaction locks stock
// rows in this one order, so two orders sharing products cannot deadlock on each other.
std::vector<Demand> demand_by_sku(const std::vector<events::OrderLine>& lines);

// Units free to reserve per SKU (quantity - reserved); a SKU that is absent has none.
using Availability = std::map<std::string, long long>;

// The SKU of the first line, in the order's own line order, whose product cannot cover the
// order's whole demand for it; nullopt when every line fits (and always for an order without
// lines). The order is reserved all or nothing, so one shortfall refuses it.
std::optional<std::string> first_shortfall(const std::vector<events::OrderLine>& lines,
                                           const Availability& available);

}  // namespace choreo::inventory_worker
