#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

// Typed payloads of docs/events.md. Workers carry what they need about an order in the events
// themselves (event-carried state), so these are the whole interface between services.
namespace choreo::events {

// A payload lacks a field or has one of the wrong type. Permanent: retrying will not fix it.
class PayloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OrderLine {
  std::string sku;
  int quantity = 0;
};

struct OrderCreated {
  std::string order_id;
  std::string identifier;
  std::string total;  // decimal as text, e.g. "49.99": never a binary float
  std::vector<OrderLine> items;
  std::optional<std::string> shipping_address;
};

struct InventoryReserved {
  std::string order_id;
  std::vector<OrderLine> items;
  std::string identifier;
  std::string total;
  std::optional<std::string> shipping_address;
};

struct InventoryReleased {
  std::string order_id;
  std::vector<OrderLine> items;
};

struct PaymentCharged {
  std::string order_id;
  std::string payment_id;
  std::string amount;
  std::optional<std::string> shipping_address;
};

struct PaymentFailed {
  std::string order_id;
  std::string reason;
};

struct OrderShipped {
  std::string order_id;
  std::string tracking_number;
  std::string carrier;
};

struct OrderFailed {
  std::string order_id;
  std::string reason;
  std::optional<std::string> sku;
  std::optional<bool> compensated;
};

struct OrderStatusUpdated {
  std::string order_id;
  std::string status;
  std::string previous_status;
};

nlohmann::json to_json(const OrderCreated& payload);
nlohmann::json to_json(const InventoryReserved& payload);
nlohmann::json to_json(const InventoryReleased& payload);
nlohmann::json to_json(const PaymentCharged& payload);
nlohmann::json to_json(const PaymentFailed& payload);
nlohmann::json to_json(const OrderShipped& payload);
nlohmann::json to_json(const OrderFailed& payload);
nlohmann::json to_json(const OrderStatusUpdated& payload);

// Each throws PayloadError naming the offending field.
OrderCreated parse_order_created(const nlohmann::json& payload);
InventoryReserved parse_inventory_reserved(const nlohmann::json& payload);
InventoryReleased parse_inventory_released(const nlohmann::json& payload);
PaymentCharged parse_payment_charged(const nlohmann::json& payload);
PaymentFailed parse_payment_failed(const nlohmann::json& payload);
OrderShipped parse_order_shipped(const nlohmann::json& payload);
OrderFailed parse_order_failed(const nlohmann::json& payload);
OrderStatusUpdated parse_order_status_updated(const nlohmann::json& payload);

}  // namespace choreo::events
