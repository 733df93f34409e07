#include "simulated_carrier.hpp"

#include <gtest/gtest.h>

namespace choreo::shipping_worker {
namespace {

constexpr const char* kOrder = "550e8400-e29b-41d4-a716-446655440000";

TEST(SimulatedCarrier, GivesCarrierLabelAndTrackingNumber) {
  SimulatedCarrier carrier;
  const auto label = carrier.create_label({kOrder, "1 Main St"});
  EXPECT_EQ(label.carrier, "SimPost");
  EXPECT_EQ(label.label_id, "LBL-550E8400E29B41D4A716446655440000");
  EXPECT_EQ(label.tracking_number.size(), 18u);
  EXPECT_EQ(label.tracking_number.rfind("SP", 0), 0u);
}

TEST(SimulatedCarrier, SameOrderSameLabelOtherOrderOtherLabel) {
  SimulatedCarrier carrier;
  const auto first = carrier.create_label({kOrder, std::nullopt});
  const auto again = carrier.create_label({kOrder, "elsewhere"});
  EXPECT_EQ(first.label_id, again.label_id);
  EXPECT_EQ(first.tracking_number, again.tracking_number);
  const auto other = carrier.create_label({"650e8400-e29b-41d4-a716-446655440000", std::nullopt});
  EXPECT_NE(first.tracking_number, other.tracking_number);
  EXPECT_NE(first.label_id, other.label_id);
}

}  // namespace
}  // namespace choreo::shipping_worker
