#pragma once

#include <string>
#include <vector>

#include "consumer/event_handler.hpp"
#include "db/connection_pool.hpp"

namespace choreo::order_service {

// Moves an order's status when the choreography reports progress: events.payment.charged ->
// paid, events.order.shipped -> shipped, events.order.failed -> failed (with its reason).
// fn_update_order_status enforces the forward-only rule in SQL, so a late or repeated event is a
// no-op that is acknowledged like any other.
class StatusUpdateHandler final : public consumer::EventHandler {
 public:
  explicit StatusUpdateHandler(std::string target_status);

  static std::vector<db::PreparedStatement> prepared_statements();

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override;
  // One statement for the whole batch (one fn_update_order_status call per event).
  std::vector<consumer::Outcome> handle_all(const std::vector<const events::Event*>& events,
                                            pqxx::transaction_base& tx) override;

 private:
  std::string target_status_;
};

}  // namespace choreo::order_service
