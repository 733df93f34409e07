#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "db/connection_pool.hpp"
#include "events/payloads.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::order_service {

// What the order service keeps of the other services' work, from the events that announce it
// (event-carried state): an order's payment, from events.payment.charged and .failed, and its
// shipment, from events.order.shipped. Order.payment and Order.shipment read these rows; no
// other service's table is read. An order has at most one of each: the first fact recorded
// stays, so a repeated or replayed event changes nothing.
class OrderFacts {
 public:
  static std::vector<db::PreparedStatement> prepared_statements();

  void add(const events::PaymentCharged& charged);
  // A decline recorded without its payment id (events from before it was carried) is skipped.
  void add(const events::PaymentFailed& failed);
  void add(const events::OrderShipped& shipped);

  // Records what was added, in one statement per kind, and returns the order ids among them
  // that this service knows (a fact for an order it has never seen is not recorded).
  std::vector<std::string> record(pqxx::transaction_base& tx) const;

  bool empty() const { return payments_.empty() && shipments_.empty(); }

 private:
  nlohmann::json payments_ = nlohmann::json::array();
  nlohmann::json shipments_ = nlohmann::json::array();
};

}  // namespace choreo::order_service
