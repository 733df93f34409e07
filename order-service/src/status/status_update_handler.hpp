#pragma once

#include <optional>
#include <string>
#include <vector>

#include "consumer/event_handler.hpp"
#include "db/connection_pool.hpp"

namespace choreo::order_service {

// Follows an order's progress as the choreography reports it: events.payment.charged -> paid
// (and the payment), events.order.shipped -> shipped (and the shipment), events.order.failed ->
// failed (with its reason); events.payment.failed changes no status (events.order.failed will)
// but records the declined payment. fn_update_order_status enforces the forward-only rule in
// SQL and the facts keep their first version, so a late or repeated event is a no-op that is
// acknowledged like any other.
class StatusUpdateHandler final : public consumer::EventHandler {
 public:
  // nullopt: no status follows, only the facts are kept.
  explicit StatusUpdateHandler(std::optional<std::string> target_status);

  static std::vector<db::PreparedStatement> prepared_statements();

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override;
  // One statement for the whole batch (one fn_update_order_status call per event).
  std::vector<consumer::Outcome> handle_all(const std::vector<const events::Event*>& events,
                                            pqxx::transaction_base& tx) override;

 private:
  std::optional<std::string> target_status_;
};

}  // namespace choreo::order_service
