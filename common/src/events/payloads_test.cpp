#include "events/payloads.hpp"

#include <gtest/gtest.h>

namespace choreo::events {
namespace {

constexpr const char* kOrder = "550e8400-e29b-41d4-a716-446655440000";

TEST(Payloads, OrderCreatedRoundTrip) {
  OrderCreated created{kOrder, "ord-001", "49.99", {{"widget", 2}, {"gizmo", 1}}, std::nullopt};
  const auto json = to_json(created);
  EXPECT_EQ(json["total"], "49.99") << "decimals travel as text";
  EXPECT_TRUE(json["shipping_address"].is_null());
  const auto parsed = parse_order_created(json);
  EXPECT_EQ(parsed.identifier, "ord-001");
  ASSERT_EQ(parsed.items.size(), 2u);
  EXPECT_EQ(parsed.items[1].sku, "gizmo");
  EXPECT_EQ(parsed.items[0].quantity, 2);
}

TEST(Payloads, OrderFailedOptionalFields) {
  const auto json = to_json(OrderFailed{kOrder, "payment_failed", std::nullopt, true});
  EXPECT_EQ(json["compensated"], true);
  EXPECT_FALSE(json.contains("sku"));
  const auto parsed = parse_order_failed(json);
  EXPECT_EQ(parsed.compensated, true);
  EXPECT_FALSE(parsed.sku.has_value());
  const auto with_sku = parse_order_failed(
      to_json(OrderFailed{kOrder, "inventory_unavailable", std::string("widget"), {}}));
  EXPECT_EQ(with_sku.sku, "widget");
}

TEST(Payloads, EveryTypeRoundTrips) {
  EXPECT_EQ(parse_inventory_reserved(to_json(InventoryReserved{kOrder, {}, "i", "1.00", "addr"}))
                .shipping_address,
            "addr");
  EXPECT_EQ(parse_inventory_released(to_json(InventoryReleased{kOrder, {{"a", 1}}})).items.size(),
            1u);
  EXPECT_EQ(parse_payment_charged(to_json(PaymentCharged{kOrder, "pay_1", "9.99", {}})).amount,
            "9.99");
  EXPECT_EQ(parse_payment_failed(to_json(PaymentFailed{kOrder, "card_declined"})).reason,
            "card_declined");
  EXPECT_EQ(parse_order_shipped(to_json(OrderShipped{kOrder, "TRK1", "SimPost"})).carrier,
            "SimPost");
  EXPECT_EQ(parse_order_status_updated(to_json(OrderStatusUpdated{kOrder, "paid", "pending"}))
                .previous_status,
            "pending");
}

TEST(Payloads, ErrorsNameTheField) {
  nlohmann::json missing = {
      {"order_id", kOrder}, {"identifier", "x"}, {"items", nlohmann::json::array()}};
  try {
    parse_order_created(missing);
    FAIL();
  } catch (const PayloadError& error) {
    EXPECT_NE(std::string(error.what()).find("\"total\""), std::string::npos);
  }
  EXPECT_THROW(parse_payment_failed({{"order_id", "not-a-uuid"}, {"reason", "x"}}), PayloadError);
  EXPECT_THROW(parse_order_created({{"order_id", kOrder},
                                    {"identifier", "x"},
                                    {"total", "1"},
                                    {"items", {{{"sku", "a"}, {"quantity", 0}}}}}),
               PayloadError);
  EXPECT_THROW(parse_order_created({{"order_id", kOrder},
                                    {"identifier", "x"},
                                    {"total", 1.5},
                                    {"items", nlohmann::json::array()}}),
               PayloadError);
}

}  // namespace
}  // namespace choreo::events
