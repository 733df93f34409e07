#pragma once

#include <string>
#include <vector>

#include "consumer/event_handler.hpp"
#include "db/connection_pool.hpp"

namespace choreo::inventory_worker {

// events.order.created -> reserve every item, all or nothing. Enough stock: the reservation is
// recorded per product and events.inventory.reserved carries the order on (its items,
// identifier, total and address, so the next workers need not read the order's tables). Not
// enough: nothing is reserved and events.order.failed says which SKU was short. Either way the
// decision is the order's one reservation set, so the same order announced again under a new
// event id is recognised and changes nothing.
class ReservationHandler final : public consumer::EventHandler {
 public:
  // `outbox_source`: the service whose relay publishes the events this handler writes.
  explicit ReservationHandler(std::string outbox_source);

  static std::vector<db::PreparedStatement> prepared_statements();

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override;

 private:
  std::string outbox_source_;
};

}  // namespace choreo::inventory_worker
