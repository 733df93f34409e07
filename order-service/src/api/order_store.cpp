#include "api/order_store.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "events/event.hpp"

namespace choreo::order_service {
namespace {

// Times leave as ISO-8601 in UTC whatever the session's TimeZone and DateStyle say.
#define CHOREO_ISO_TIME(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// The columns read_order() reads, of the table (or alias) `o`.
#define CHOREO_ORDER_COLUMNS(o)                                                   \
  o "pk_order, " o "id::text, " o "identifier, " o "total::text, " o "status, " o \
    "failure_reason, " o                                                          \
    "shipping_address, " CHOREO_ISO_TIME(o "created_at") ", " CHOREO_ISO_TIME(o "updated_at")

constexpr const char* kOrderColumns = CHOREO_ORDER_COLUMNS("");

const std::string kOrderById =
    std::string("SELECT ") + kOrderColumns + " FROM tb_order WHERE id = $1::uuid";
// An order with its items, payment and shipment in one round trip: a row per item (one row with
// null item columns when there is none), each repeating the order and its payment and shipment
// (at most one of each per order: their fk_order is unique). The payment and the shipment are
// what this service recorded from their events (status/order_facts.hpp). Row-level security
// filters every joined table as it does the separate queries.
const std::string kOrderWithDetailsById =
    "SELECT " CHOREO_ORDER_COLUMNS("o.") ","
    " p.payment_id::text, p.amount::text, p.status, p.provider_id,"
    " s.carrier, s.tracking_number, s.label_id,"
    " pr.identifier, i.quantity, i.unit_price::text"
    " FROM tb_order o"
    " LEFT JOIN tb_order_payment p ON p.fk_order = o.pk_order"
    " LEFT JOIN tb_order_shipment s ON s.fk_order = o.pk_order"
    " LEFT JOIN (tb_order_item i JOIN tb_product pr ON pr.pk_product = i.fk_product)"
    " ON i.fk_order = o.pk_order"
    " WHERE o.id = $1::uuid ORDER BY i.pk_order_item";
// Where the payment's, the shipment's and the item's columns start in a row of the above.
constexpr int kPaymentColumn = 9;
constexpr int kShipmentColumn = 13;
constexpr int kItemColumn = 16;
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
      {"api_order_with_details_by_id", kOrderWithDetailsById},
      {"api_orders_of_user", kOrdersOfUser},
      {"api_create_order",
       "SELECT status, message, entity_id::text"
       " FROM fn_create_order($1, $2, $3::numeric, $4::jsonb, $5)"},
      {"api_products", "SELECT identifier, name, price::text FROM tb_product ORDER BY identifier"},
      {"api_items",
       "SELECT i.fk_order, p.identifier, i.quantity, i.unit_price::text"
       " FROM tb_order_item i JOIN tb_product p ON p.pk_product = i.fk_product"
       " WHERE i.fk_order = ANY($1::bigint[]) ORDER BY i.fk_order, i.pk_order_item"},
      {"api_payments",
       "SELECT fk_order, payment_id::text, amount::text, status, provider_id"
       " FROM tb_order_payment WHERE fk_order = ANY($1::bigint[])"},
      {"api_shipments",
       "SELECT fk_order, carrier, tracking_number, label_id FROM tb_order_shipment"
       " WHERE fk_order = ANY($1::bigint[])"},
  };
}

std::vector<db::PreparedStatement> OrderStore::read_model_statements() {
  // The read models of docs/database.md, the only reads of other services' data. They are asked
  // only about orders and products this request's own (row-level-security-checked) reads
  // returned. Stream order is publication order ("oldest first", docs/api.md).
  return {
      {"read_model_order_events",
       "SELECT order_id::text, event_type, " CHOREO_ISO_TIME(
           "recorded_at") ", data::text FROM event_monitor.v_order_event"
                          " WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, stream_seq"},
      {"read_model_stock",
       "SELECT sku, available FROM inventory_worker.v_stock WHERE sku = ANY($1::text[])"},
  };
}

#undef CHOREO_ORDER_COLUMNS
#undef CHOREO_ISO_TIME

OrderStore::OrderStore(StatementRunner& statements, ReadModelRunners read_models)
    : statements_(statements),
      order_events_(read_models.order_events ? *read_models.order_events : statements),
      stock_(read_models.stock ? *read_models.stock : statements) {}

OrderStore::OrderStore(pqxx::transaction_base& transaction, ReadModelRunners read_models)
    : owned_statements_(std::make_unique<TransactionStatements>(transaction)),
      statements_(*owned_statements_),
      order_events_(read_models.order_events ? *read_models.order_events : *owned_statements_),
      stock_(read_models.stock ? *read_models.stock : *owned_statements_) {}

void OrderStore::remember(const OrderRecord& record) {
  seen_.emplace(record.pk, record.id);
}

namespace {

std::string array_literal(const std::vector<std::string>& elements) {
  std::string array = "{";
  for (const auto& element : elements) {
    if (array.size() > 1)
      array += ",";
    array += element;
  }
  return array + "}";
}

}  // namespace

std::string OrderStore::take_unloaded(std::set<std::int64_t>& loaded) {
  std::vector<std::string> pks;
  for (const auto& [pk, id] : seen_) {
    if (loaded.insert(pk).second)
      pks.push_back(std::to_string(pk));
  }
  return pks.empty() ? "" : array_literal(pks);
}

std::optional<OrderRecord> OrderStore::order(std::string_view id) {
  if (!events::is_uuid(id)) {
    return std::nullopt;
  }
  const auto rows = statements_.run("api_order_by_id", {std::string(id)});
  if (rows.empty()) {
    return std::nullopt;
  }
  auto order = read_order(rows[0]);
  remember(order);
  return order;
}

std::optional<OrderRecord> OrderStore::order_with_details(std::string_view id) {
  if (!events::is_uuid(id)) {
    return std::nullopt;
  }
  const auto rows = statements_.run("api_order_with_details_by_id", {std::string(id)});
  if (rows.empty()) {
    return std::nullopt;
  }
  const auto& first = rows[0];
  auto order = read_order(first);
  remember(order);
  // Loaded now, so the nested resolvers read the cache instead of asking again.
  items_loaded_.insert(order.pk);
  payments_loaded_.insert(order.pk);
  shipments_loaded_.insert(order.pk);
  if (!first[kPaymentColumn].is_null()) {
    PaymentRecord payment{first[kPaymentColumn].as<std::string>(),
                          first[kPaymentColumn + 1].as<std::string>(),
                          first[kPaymentColumn + 2].as<std::string>(), std::nullopt};
    if (!first[kPaymentColumn + 3].is_null())
      payment.provider_id = first[kPaymentColumn + 3].as<std::string>();
    payments_.emplace(order.pk, std::move(payment));
  }
  if (!first[kShipmentColumn].is_null()) {
    shipments_.emplace(order.pk, ShipmentRecord{first[kShipmentColumn].as<std::string>(),
                                                first[kShipmentColumn + 1].as<std::string>(),
                                                first[kShipmentColumn + 2].as<std::string>()});
  }
  auto& items = items_[order.pk];
  for (const auto& row : rows) {
    if (row[kItemColumn].is_null())
      continue;  // the one row of an order without items
    items.push_back({row[kItemColumn].as<std::string>(), row[kItemColumn + 1].as<int>(),
                     row[kItemColumn + 2].as<std::string>()});
  }
  return order;
}

std::vector<OrderRecord> OrderStore::orders(std::int64_t limit, std::int64_t offset) {
  std::vector<OrderRecord> orders;
  for (const auto& row :
       statements_.run("api_orders_of_user", {std::to_string(limit), std::to_string(offset)})) {
    orders.push_back(read_order(row));
    remember(orders.back());
  }
  return orders;
}

std::vector<ProductRecord> OrderStore::products() {
  std::vector<ProductRecord> products;
  std::vector<std::string> skus;
  for (const auto& row : statements_.run("api_products", {})) {
    products.push_back(
        {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(), 0});
    skus.push_back(nlohmann::json(products.back().sku).dump());  // quoted for the array literal
  }
  if (products.empty())
    return products;
  // The inventory's stock, by SKU; a product it holds no stock of has none available.
  std::map<std::string, int> available;
  for (const auto& row : stock_.run("read_model_stock", {array_literal(skus)}))
    available[row[0].as<std::string>()] = row[1].as<int>();
  for (auto& product : products) {
    if (const auto found = available.find(product.sku); found != available.end())
      product.available = found->second;
  }
  return products;
}

CreateOrderOutcome OrderStore::create_order(const std::string& user,
                                            const CreateOrderCommand& command) {
  auto items = nlohmann::json::array();
  for (const auto& [sku, quantity] : command.items) {
    items.push_back({{"sku", sku}, {"quantity", quantity}});
  }
  const auto row = statements_
                       .run("api_create_order", {command.identifier, user, command.total,
                                                 items.dump(), command.shipping_address})
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
    for (const auto& row : statements_.run("api_items", {pks})) {
      items_[row[0].as<std::int64_t>()].push_back(
          {row[1].as<std::string>(), row[2].as<int>(), row[3].as<std::string>()});
    }
  }
  return items_[order_pk];
}

const PaymentRecord* OrderStore::payment(std::int64_t order_pk) {
  if (const auto pks = take_unloaded(payments_loaded_); !pks.empty()) {
    for (const auto& row : statements_.run("api_payments", {pks})) {
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
    for (const auto& row : statements_.run("api_shipments", {pks})) {
      shipments_.emplace(row[0].as<std::int64_t>(),
                         ShipmentRecord{row[1].as<std::string>(), row[2].as<std::string>(),
                                        row[3].as<std::string>()});
    }
  }
  const auto found = shipments_.find(order_pk);
  return found == shipments_.end() ? nullptr : &found->second;
}

const std::vector<OrderEventRecord>& OrderStore::events(std::int64_t order_pk) {
  std::vector<std::string> ids;
  std::map<std::string, std::int64_t> pk_of;
  for (const auto& [pk, id] : seen_) {
    if (events_loaded_.insert(pk).second) {
      ids.push_back(id);
      pk_of.emplace(id, pk);
    }
  }
  if (!ids.empty()) {
    for (const auto& row : order_events_.run("read_model_order_events", {array_literal(ids)})) {
      events_[pk_of.at(row[0].as<std::string>())].push_back(
          {row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>()});
    }
  }
  return events_[order_pk];
}

}  // namespace choreo::order_service
