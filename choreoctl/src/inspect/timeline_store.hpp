#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connections_by_url.hpp"
#include "db/service_databases.hpp"
#include "inspect/order_timeline.hpp"

namespace choreo::ctl::inspect {

// The order named by its id (UUID) or its identifier, with everything its timeline shows: the
// order service's record of it, the event monitor's log of its events, which consumer's inbox
// took each event after how many deliveries, and its dead letters in every service. nullopt when
// no such order exists. Each service's tables are read through its own database.
std::optional<OrderTimeline> load_timeline(const std::vector<db::ServiceDatabase>& databases,
                                           db::ConnectionsByUrl& connections,
                                           const std::string& order_ref);

// The order's id for `order_ref` (an id or an identifier), or nullopt when there is none.
std::optional<std::string> find_order_id(const std::vector<db::ServiceDatabase>& databases,
                                         db::ConnectionsByUrl& connections,
                                         const std::string& order_ref);

}  // namespace choreo::ctl::inspect
