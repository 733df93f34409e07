#pragma once

#include <string>
#include <vector>

#include "consumer/event_handler.hpp"
#include "db/connection_pool.hpp"

namespace choreo::inventory_worker {

// events.payment.failed -> give back exactly what the order reserved, once: the order's
// reservation set moves to `released` in the same transaction as the stock, so however often
// (and under however many event ids) the failure arrives, only the first does anything. It then
// announces events.inventory.released (what was given back) and events.order.failed
// {reason: payment_failed, compensated: true}.
//
// A failure that arrives before any reservation (a replay, say) still marks the set released,
// with nothing to give back, so a late events.order.created can no longer reserve for the order.
class CompensationHandler final : public consumer::EventHandler {
 public:
  explicit CompensationHandler(std::string outbox_source);

  static std::vector<db::PreparedStatement> prepared_statements();

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override;

 private:
  std::string outbox_source_;
};

}  // namespace choreo::inventory_worker
