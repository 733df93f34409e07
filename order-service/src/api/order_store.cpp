#include "api/order_store.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "events/event.hpp"

namespace choreo::order_service {
namespace {

// Times leave as ISO-8601 in UTC whatever the session's TimeZone and DateStyle say.
#define CHOREO_ISO_TIME(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

constexpr const char* kOrderColumns =
    "pk_order, id::text, identifier, total::text, status, failure_reason, "
    "shipping_address, " CHOREO_ISO_TIME("created_at") ", " CHOREO_ISO_TIME("updated_at");

const std::string kOrderById =
    std::string("SELECT ") + kOrderColumns + " FROM tb_order WHERE id = $1::uuid";
// The explicit user filter uses the (fk_user, created_at) index; RLS would hide the rest anyway.
const std::string kOrdersOfUser = std::string("SELECT ") + kOrderColumns +
                                  " FROM tb_order WHERE fk_user = (SELECT pk_user FROM tb_user"
                                  " WHERE identifier = current_setting('app.user_id', true))"
                                  " ORDER BY created_at DESC, pk_order DESC LIMIT $1 OFFSET $2";

OrderRecord read_order(const pqxx::row& row) {
  OrderRecord order;
  order.pk = row[0].as<std::int64_t>();
  order.id = row[1].as<std::string>();
  order.identifier = row[2].as<std::string>();
  order.total = row[3].as<std::string>();
  order.status = row[4].as<std::string>();
  if (!row[5].is_null())
    order.failure_reason = row[5].as<std::string>();
  if (!row[6].is_null())
    order.shipping_address = row[6].as<std::string>();
  order.created_at = row[7].as<std::string>();
  order.updated_at = row[8].as<std::string>();
  return order;
}

// pqxx 6 sends a null const char* as SQL NULL.
const char* nullable(const std::optional<std::string>& text) {
  return text ? text->c_str() : nullptr;
}

CreateOrderOutcome::Kind outcome_kind(const std::string& status) {
  using Kind = CreateOrderOutcome::Kind;
  if (status == "created")
    return Kind::kCreated;
  if (status == "existing")
    return Kind::kExisting;
  if (status == "conflict")
    return Kind::kConflict;
  return Kind::kInvalid;
}

}  // namespace

std::vector<db::PreparedStatement> OrderStore::prepared_statements() {
  return {
      {"api_order_by_id", kOrderById},
      {"api_orders_of_user", kOrdersOfUser},
      {"api_create_order",
       "SELECT status, message, entity_id::text"
       " FROM fn_create_order($1, $2, $3::numeric, $4::jsonb, $5)"},
      {"api_products",
       "SELECT p.identifier, p.name, p.price::text, COALESCE(i.quantity - i.reserved, 0)"
       " FROM tb_product p LEFT JOIN tb_inventory i ON i.fk_product = p.pk_product"
       " ORDER BY p.identifier"},
      {"api_items",
       "SELECT i.fk_order, p.identifier, i.quantity, i.unit_price::text"
       " FROM tb_order_item i JOIN tb_product p ON p.pk_product = i.fk_product"
       " WHERE i.fk_order = ANY($1::bigint[]) ORDER BY i.fk_order, i.pk_order_item"},
      {"api_payments",
       "SELECT fk_order, id::text, amount::text, status, provider_id FROM tb_payment"
       " WHERE fk_order = ANY($1::bigint[])"},
      {"api_shipments",
       "SELECT fk_order, carrier, tracking_number, provider_label_id FROM tb_shipping"
       " WHERE fk_order = ANY($1::bigint[])"},
      // Stream order is publication order ("oldest first", CONTRACT §3).
      {"api_events",
       "SELECT o.pk_order, e.event_type, " CHOREO_ISO_TIME(
           "e.recorded_at") ", e.data::text"
                            " FROM tb_event_log e JOIN tb_order o ON o.id = e.order_id"
                            " WHERE o.pk_order = ANY($1::bigint[]) ORDER BY e.order_id, "
                            "e.stream_seq"},
  };
}

#undef CHOREO_ISO_TIME

OrderStore::OrderStore(pqxx::transaction_base& transaction) : transaction_(transaction) {}

void OrderStore::remember(const OrderRecord& record) {
  seen_.insert(record.pk);
}

std::string OrderStore::take_unloaded(std::set<std::int64_t>& loaded) {
  std::string array;
  for (const auto pk : seen_) {
    if (loaded.insert(pk).second) {
      array += array.empty() ? "{" : ",";
      array += std::to_string(pk);
    }
  }
  return array.empty() ? array : array + "}";
}

std::optional<OrderRecord> OrderStore::order(std::string_view id) {
  if (!events::is_uuid(id)) {
    return std::nullopt;
  }
  const auto rows = transaction_.exec_prepared("api_order_by_id", std::string(id));
  if (rows.empty()) {
    return std::nullopt;
  }
  auto order = read_order(rows[0]);
  remember(order);
  return order;
}

std::vector<OrderRecord> OrderStore::orders(std::int64_t limit, std::int64_t offset) {
  std::vector<OrderRecord> orders;
  for (const auto& row : transaction_.exec_prepared("api_orders_of_user", limit, offset)) {
    orders.push_back(read_order(row));
    remember(orders.back());
  }
  return orders;
}

std::vector<ProductRecord> OrderStore::products() {
  std::vector<ProductRecord> products;
  for (const auto& row : transaction_.exec_prepared("api_products")) {
    products.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                        row[2].as<std::string>(), row[3].as<int>()});
  }
  return products;
}

CreateOrderOutcome OrderStore::create_order(const std::string& user,
                                            const CreateOrderCommand& command) {
  auto items = nlohmann::json::array();
  for (const auto& [sku, quantity] : command.items) {
    items.push_back({{"sku", sku}, {"quantity", quantity}});
  }
  const auto row = transaction_
                       .exec_prepared("api_create_order", command.identifier, user, command.total,
                                      items.dump(), nullable(command.shipping_address))
                       .at(0);
  CreateOrderOutcome outcome;
  outcome.kind = outcome_kind(row[0].as<std::string>());
  outcome.message = row[1].is_null() ? "" : row[1].as<std::string>();
  if (!row[2].is_null()) {
    outcome.order_id = row[2].as<std::string>();
  }
  return outcome;
}

const std::vector<OrderItemRecord>& OrderStore::items(std::int64_t order_pk) {
  if (const auto pks = take_unloaded(items_loaded_); !pks.empty()) {
    for (const auto& row : transaction_.exec_prepared("api_items", pks)) {
      items_[row[0].as<std::int64_t>()].push_back(
          {row[1].as<std::string>(), row[2].as<int>(), row[3].as<std::string>()});
    }
  }
  return items_[order_pk];
}

const PaymentRecord* OrderStore::payment(std::int64_t order_pk) {
  if (const auto pks = take_unloaded(payments_loaded_); !pks.empty()) {
    for (const auto& row : transaction_.exec_prepared("api_payments", pks)) {
      PaymentRecord payment{row[1].as<std::string>(), row[2].as<std::string>(),
                            row[3].as<std::string>(), std::nullopt};
      if (!row[4].is_null())
        payment.provider_id = row[4].as<std::string>();
      payments_.emplace(row[0].as<std::int64_t>(), std::move(payment));
    }
  }
  const auto found = payments_.find(order_pk);
  return found == payments_.end() ? nullptr : &found->second;
}

const ShipmentRecord* OrderStore::shipment(std::int64_t order_pk) {
  if (const auto pks = take_unloaded(shipments_loaded_); !pks.empty()) {
    for (const auto& row : transaction_.exec_prepared("api_shipments", pks)) {
      shipments_.emplace(row[0].as<std::int64_t>(),
                         ShipmentRecord{row[1].as<std::string>(), row[2].as<std::string>(),
                                        row[3].as<std::string>()});
    }
  }
  const auto found = shipments_.find(order_pk);
  return found == shipments_.end() ? nullptr : &found->second;
}

const std::vector<OrderEventRecord>& OrderStore::events(std::int64_t order_pk) {
  if (const auto pks = take_unloaded(events_loaded_); !pks.empty()) {
    for (const auto& row : transaction_.exec_prepared("api_events", pks)) {
      events_[row[0].as<std::int64_t>()].push_back(
          {row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>()});
    }
  }
  return events_[order_pk];
}

}  // namespace choreo::order_service
