#pragma once

#include <string>
#include <vector>

#include "carrier.hpp"
#include "consumer/event_handler.hpp"
#include "db/connection_pool.hpp"

namespace choreo::shipping_worker {

// events.payment.charged -> one shipping label per order: a tb_shipping row and
// events.order.shipped with the tracking number and carrier. tb_shipping allows one row per
// order, so the same payment announced again under a new event id books nothing.
class ShippingHandler final : public consumer::EventHandler {
 public:
  ShippingHandler(std::string outbox_source, Carrier& carrier);

  static std::vector<db::PreparedStatement> prepared_statements();

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override;

 private:
  std::string outbox_source_;
  Carrier& carrier_;
};

}  // namespace choreo::shipping_worker
