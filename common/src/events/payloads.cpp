#include "events/payloads.hpp"

#include "events/event.hpp"

namespace choreo::events {
namespace {

using nlohmann::json;

const json& field(const json& payload, const char* name) {
  if (!payload.is_object())
    throw PayloadError("payload is not a JSON object");
  const auto found = payload.find(name);
  if (found == payload.end())
    throw PayloadError(std::string("payload lacks \"") + name + "\"");
  return *found;
}

std::string text(const json& payload, const char* name) {
  const auto& value = field(payload, name);
  if (!value.is_string())
    throw PayloadError(std::string("\"") + name + "\" must be a string");
  return value.get<std::string>();
}

std::string order_id(const json& payload) {
  auto id = text(payload, "order_id");
  if (!is_uuid(id))
    throw PayloadError("\"order_id\" must be a UUID");
  return id;
}

std::optional<std::string> optional_text(const json& payload, const char* name) {
  const auto found = payload.find(name);
  if (found == payload.end() || found->is_null())
    return std::nullopt;
  if (!found->is_string())
    throw PayloadError(std::string("\"") + name + "\" must be a string");
  return found->get<std::string>();
}

std::vector<OrderLine> lines(const json& payload, const char* name) {
  const auto& value = field(payload, name);
  if (!value.is_array())
    throw PayloadError(std::string("\"") + name + "\" must be a list");
  std::vector<OrderLine> result;
  result.reserve(value.size());
  for (const auto& item : value) {
    OrderLine line;
    line.sku = text(item, "sku");
    const auto& quantity = field(item, "quantity");
    if (!quantity.is_number_integer() || quantity.get<long long>() < 1 ||
        quantity.get<long long>() > 1'000'000) {
      throw PayloadError("\"quantity\" must be an integer from 1 to 1000000");
    }
    line.quantity = quantity.get<int>();
    result.push_back(std::move(line));
  }
  return result;
}

json lines_json(const std::vector<OrderLine>& items) {
  json array = json::array();
  for (const auto& line : items)
    array.push_back({{"sku", line.sku}, {"quantity", line.quantity}});
  return array;
}

json nullable(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

}  // namespace

json to_json(const OrderCreated& p) {
  return {{"order_id", p.order_id},
          {"identifier", p.identifier},
          {"total", p.total},
          {"items", lines_json(p.items)},
          {"shipping_address", nullable(p.shipping_address)}};
}

json to_json(const InventoryReserved& p) {
  return {{"order_id", p.order_id},
          {"items", lines_json(p.items)},
          {"identifier", p.identifier},
          {"total", p.total},
          {"shipping_address", nullable(p.shipping_address)}};
}

json to_json(const InventoryReleased& p) {
  return {{"order_id", p.order_id}, {"items", lines_json(p.items)}};
}

json to_json(const PaymentCharged& p) {
  return {{"order_id", p.order_id},
          {"payment_id", p.payment_id},
          {"amount", p.amount},
          {"shipping_address", nullable(p.shipping_address)}};
}

json to_json(const PaymentFailed& p) {
  return {{"order_id", p.order_id}, {"reason", p.reason}};
}

json to_json(const OrderShipped& p) {
  return {{"order_id", p.order_id}, {"tracking_number", p.tracking_number}, {"carrier", p.carrier}};
}

json to_json(const OrderFailed& p) {
  json out = {{"order_id", p.order_id}, {"reason", p.reason}};
  if (p.sku)
    out["sku"] = *p.sku;
  if (p.compensated)
    out["compensated"] = *p.compensated;
  return out;
}

json to_json(const OrderStatusUpdated& p) {
  return {{"order_id", p.order_id}, {"status", p.status}, {"previous_status", p.previous_status}};
}

OrderCreated parse_order_created(const json& p) {
  OrderCreated out;
  out.order_id = order_id(p);
  out.identifier = text(p, "identifier");
  out.total = text(p, "total");
  out.items = lines(p, "items");
  out.shipping_address = optional_text(p, "shipping_address");
  return out;
}

InventoryReserved parse_inventory_reserved(const json& p) {
  InventoryReserved out;
  out.order_id = order_id(p);
  out.items = lines(p, "items");
  out.identifier = text(p, "identifier");
  out.total = text(p, "total");
  out.shipping_address = optional_text(p, "shipping_address");
  return out;
}

InventoryReleased parse_inventory_released(const json& p) {
  return {order_id(p), lines(p, "items")};
}

PaymentCharged parse_payment_charged(const json& p) {
  PaymentCharged out;
  out.order_id = order_id(p);
  out.payment_id = text(p, "payment_id");
  out.amount = text(p, "amount");
  out.shipping_address = optional_text(p, "shipping_address");
  return out;
}

PaymentFailed parse_payment_failed(const json& p) {
  return {order_id(p), text(p, "reason")};
}

OrderShipped parse_order_shipped(const json& p) {
  return {order_id(p), text(p, "tracking_number"), text(p, "carrier")};
}

OrderFailed parse_order_failed(const json& p) {
  OrderFailed out;
  out.order_id = order_id(p);
  out.reason = text(p, "reason");
  out.sku = optional_text(p, "sku");
  const auto compensated = p.find("compensated");
  if (compensated != p.end() && !compensated->is_null()) {
    if (!compensated->is_boolean())
      throw PayloadError("\"compensated\" must be true or false");
    out.compensated = compensated->get<bool>();
  }
  return out;
}

OrderStatusUpdated parse_order_status_updated(const json& p) {
  return {order_id(p), text(p, "status"), text(p, "previous_status")};
}

}  // namespace choreo::events
