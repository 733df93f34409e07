#include "events/payloads.hpp"

#include <gtest/gtest.h>

namespace choreo::events {
namespace {

constexpr const char* kOrder = "550e8400-e29b-41d4-a716-446655440000";
constexpr const char* kPayment = "6fa459ea-ee8a-3ca4-894e-db77e160355e";

template <typename Payload>
Payload round_trip(const Payload& payload) {
  return decode<Payload>(encode(payload));
}

TEST(Payloads, OrderCreatedRoundTrip) {
  OrderCreated created{kOrder, "ord-001", "49.99", {{"widget", 2}, {"gizmo", 1}}, std::nullopt};
  const auto json = encode(created);
  EXPECT_EQ(json["total"], "49.99") << "decimals travel as text";
  EXPECT_TRUE(json["shipping_address"].is_null()) << "written as null when absent";
  const auto parsed = decode<OrderCreated>(json);
  EXPECT_EQ(parsed.identifier, "ord-001");
  ASSERT_EQ(parsed.items.size(), 2u);
  EXPECT_EQ(parsed.items[1].sku, "gizmo");
  EXPECT_EQ(parsed.items[0].quantity, 2);
  EXPECT_FALSE(parsed.shipping_address.has_value());
}

TEST(Payloads, OmittedFieldsAreLeftOutWhenAbsent) {
  const auto json = encode(OrderFailed{kOrder, "payment_failed", std::nullopt, true});
  EXPECT_EQ(json["compensated"], true);
  EXPECT_FALSE(json.contains("sku"));
  const auto parsed = decode<OrderFailed>(json);
  EXPECT_EQ(parsed.compensated, true);
  EXPECT_FALSE(parsed.sku.has_value());
  EXPECT_EQ(round_trip(OrderFailed{kOrder, "inventory_unavailable", "widget", {}}).sku, "widget");
}

TEST(Payloads, EveryTypeRoundTrips) {
  EXPECT_EQ(round_trip(InventoryReserved{kOrder, {}, "i", "1.00", "addr"}).shipping_address,
            "addr");
  EXPECT_EQ(round_trip(InventoryReleased{kOrder, {{"a", 1}}}).items.size(), 1u);
  const auto charged = round_trip(PaymentCharged{kOrder, kPayment, "9.99", {}, "sim_7"});
  EXPECT_EQ(charged.amount, "9.99");
  EXPECT_EQ(charged.provider_id, "sim_7");
  const auto failed =
      round_trip(PaymentFailed{kOrder, "card_declined", kPayment, "10.00", std::nullopt});
  EXPECT_EQ(failed.reason, "card_declined");
  EXPECT_EQ(failed.payment_id, kPayment);
  EXPECT_EQ(failed.amount, "10.00");
  EXPECT_FALSE(failed.provider_id.has_value());
  EXPECT_EQ(round_trip(OrderShipped{kOrder, "TRK1", "SimPost", "LBL1"}).label_id, "LBL1");
  EXPECT_EQ(round_trip(OrderStatusUpdated{kOrder, "paid", "pending"}).previous_status, "pending");
}

TEST(Payloads, EventsFromBeforeAFieldWasAddedStillDecode) {
  const auto failed = decode<PaymentFailed>({{"order_id", kOrder}, {"reason", "declined"}});
  EXPECT_FALSE(failed.payment_id.has_value());
  const auto shipped =
      decode<OrderShipped>({{"order_id", kOrder}, {"tracking_number", "T"}, {"carrier", "C"}});
  EXPECT_FALSE(shipped.label_id.has_value());
  // And fields a consumer does not know yet are ignored.
  EXPECT_EQ(decode<OrderStatusUpdated>(
                {{"order_id", kOrder}, {"status", "paid"}, {"previous_status", "x"}, {"new", 1}})
                .status,
            "paid");
}

TEST(Payloads, ErrorsNameTheField) {
  nlohmann::json missing = {
      {"order_id", kOrder}, {"identifier", "x"}, {"items", nlohmann::json::array()}};
  try {
    decode<OrderCreated>(missing);
    FAIL();
  } catch (const PayloadError& error) {
    EXPECT_NE(std::string(error.what()).find("\"total\""), std::string::npos);
  }
  EXPECT_THROW(decode<PaymentFailed>({{"order_id", "not-a-uuid"}, {"reason", "x"}}), PayloadError);
  EXPECT_THROW(decode<OrderCreated>({{"order_id", kOrder},
                                     {"identifier", "x"},
                                     {"total", "1"},
                                     {"items", {{{"sku", "a"}, {"quantity", 0}}}}}),
               PayloadError);
  EXPECT_THROW(decode<OrderCreated>({{"order_id", kOrder},
                                     {"identifier", "x"},
                                     {"total", 1.5},
                                     {"items", nlohmann::json::array()}}),
               PayloadError);
  EXPECT_THROW(decode<PaymentCharged>({{"order_id", kOrder},
                                       {"payment_id", kPayment},
                                       {"amount", "1e3"},
                                       {"shipping_address", nullptr}}),
               PayloadError)
      << "amounts are decimals as text";
  EXPECT_THROW(decode<OrderFailed>({{"order_id", kOrder}, {"reason", "x"}, {"compensated", 1}}),
               PayloadError);
  EXPECT_THROW(decode<OrderShipped>(nlohmann::json::array()), PayloadError);
}

}  // namespace
}  // namespace choreo::events
