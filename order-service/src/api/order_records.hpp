#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// What the API reads and writes, as plain values: the resolvers turn them into GraphQL objects,
// the store fills them from SQL. Amounts stay decimal strings ("49.90") and times ISO-8601 text,
// exactly as they leave PostgreSQL, so nothing is rounded on the way.
namespace choreo::order_service {

struct OrderRecord {
  std::int64_t pk = 0;  // tb_order.pk_order: the key the nested loaders use
  std::string id;
  std::string identifier;
  std::string total;
  std::string status;
  std::optional<std::string> failure_reason;
  std::optional<std::string> shipping_address;
  std::string created_at;
  std::string updated_at;
};

struct OrderItemRecord {
  std::string sku;
  int quantity = 0;
  std::string unit_price;
};

struct PaymentRecord {
  std::string id;
  std::string amount;
  std::string status;
  std::optional<std::string> provider_id;
};

struct ShipmentRecord {
  std::string carrier;
  std::string tracking_number;
  std::string label_id;
};

struct OrderEventRecord {
  std::string type;  // the subject
  std::string recorded_at;
  std::string data_json;  // the published payload, as JSON text
};

struct ProductRecord {
  std::string sku;
  std::string name;
  std::string price;
  int available = 0;  // quantity - reserved
};

struct CreateOrderCommand {
  std::string identifier;
  std::string total;
  std::vector<std::pair<std::string, std::int64_t>> items;  // (sku, quantity)
  std::optional<std::string> shipping_address;
};

// fn_create_order's answer.
struct CreateOrderOutcome {
  enum class Kind { kCreated, kExisting, kConflict, kInvalid };
  Kind kind = Kind::kInvalid;
  std::string message;
  std::optional<std::string> order_id;  // created / existing
};

}  // namespace choreo::order_service
