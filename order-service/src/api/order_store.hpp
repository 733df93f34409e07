#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/order_records.hpp"
#include "api/read_models.hpp"
#include "api/statement_runner.hpp"
#include "db/connection_pool.hpp"

namespace choreo::order_service {

// One API request's reads and writes, inside the transaction the request runs in (as order_api,
// with the user set, so row-level security decides what exists).
//
// Nested fields load in bulk: the first items() (or payment(), ...) call loads the items of every
// order this store has returned so far, in one query, and later calls read the cache. A page of
// 100 orders with their items, payments, shipments and events is therefore five queries.
class OrderStore {
 public:
  // The statements every pooled connection prepares for the store.
  static std::vector<db::PreparedStatement> prepared_statements();
  // The statements of the read models (other services' data: an order's events, stock), which
  // the connections that `read_models` runs on prepare.
  static std::vector<db::PreparedStatement> read_model_statements();

  // The service's own statements run on `statements`; each read model's on its runner, or on
  // `statements` too when it has none (it shares this service's database).
  explicit OrderStore(StatementRunner& statements, ReadModelRunners read_models = {});
  // In a transaction the caller has begun (as order_api, the user set) and will end.
  explicit OrderStore(pqxx::transaction_base& transaction, ReadModelRunners read_models = {});

  // nullopt when no visible order has this id (including ids that are not UUIDs).
  std::optional<OrderRecord> order(std::string_view id);
  // The same, and loads the order's items, payment and shipment in the same query (one round
  // trip instead of four when a client reads an order with its details, as most do).
  std::optional<OrderRecord> order_with_details(std::string_view id);
  // The user's orders, newest first.
  std::vector<OrderRecord> orders(std::int64_t limit, std::int64_t offset);
  std::vector<ProductRecord> products();
  // For `user` (the request's user, which RLS also requires).
  CreateOrderOutcome create_order(const std::string& user, const CreateOrderCommand& command);

  const std::vector<OrderItemRecord>& items(std::int64_t order_pk);
  const PaymentRecord* payment(std::int64_t order_pk);
  const ShipmentRecord* shipment(std::int64_t order_pk);
  const std::vector<OrderEventRecord>& events(std::int64_t order_pk);

 private:
  // Remembers a returned order, so the nested loaders know whose rows to fetch.
  void remember(const OrderRecord& record);
  // The orders seen but not yet loaded into `loaded`, as a PostgreSQL array literal, and marks
  // them loaded; "" when there are none.
  std::string take_unloaded(std::set<std::int64_t>& loaded);

  std::unique_ptr<StatementRunner> owned_statements_;  // for the transaction constructor
  StatementRunner& statements_;
  StatementRunner& order_events_;
  StatementRunner& stock_;
  std::map<std::int64_t, std::string> seen_;  // pk -> id of every order returned
  std::set<std::int64_t> items_loaded_, payments_loaded_, shipments_loaded_, events_loaded_;
  std::map<std::int64_t, std::vector<OrderItemRecord>> items_;
  std::map<std::int64_t, PaymentRecord> payments_;
  std::map<std::int64_t, ShipmentRecord> shipments_;
  std::map<std::int64_t, std::vector<OrderEventRecord>> events_;
};

}  // namespace choreo::order_service
