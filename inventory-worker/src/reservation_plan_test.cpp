#include "reservation_plan.hpp"

#include <gtest/gtest.h>

namespace choreo::inventory_worker {
namespace {

TEST(DemandBySku, SumsRepeatedSkusAndSortsByteWise) {
  const auto demand = demand_by_sku({{"widget", 2}, {"Gizmo", 1}, {"widget", 3}, {"a-b", 1}});
  ASSERT_EQ(demand.size(), 3u);
  EXPECT_EQ(demand[0].sku, "Gizmo") << "byte order: upper case before lower case";
  EXPECT_EQ(demand[1].sku, "a-b");
  EXPECT_EQ(demand[2].sku, "widget");
  EXPECT_EQ(demand[2].quantity, 5);
}

TEST(DemandBySku, EmptyOrderHasNoDemand) {
  EXPECT_TRUE(demand_by_sku({}).empty());
}

TEST(FirstShortfall, EverythingFits) {
  EXPECT_EQ(first_shortfall({{"widget", 2}, {"gizmo", 1}}, {{"widget", 2}, {"gizmo", 5}}),
            std::nullopt);
}

TEST(FirstShortfall, OrderWithoutLinesAlwaysFits) {
  EXPECT_EQ(first_shortfall({}, {}), std::nullopt);
}

TEST(FirstShortfall, UnknownSkuHasNoStock) {
  EXPECT_EQ(first_shortfall({{"widget", 1}, {"ghost", 1}}, {{"widget", 10}}), "ghost");
}

TEST(FirstShortfall, RepeatedSkuIsJudgedOnItsTotal) {
  EXPECT_EQ(first_shortfall({{"widget", 2}, {"widget", 2}}, {{"widget", 3}}), "widget");
  EXPECT_EQ(first_shortfall({{"widget", 2}, {"widget", 1}}, {{"widget", 3}}), std::nullopt);
}

TEST(FirstShortfall, ReportsTheFirstShortLineInTheOrdersOwnOrder) {
  EXPECT_EQ(first_shortfall({{"zeta", 1}, {"alpha", 1}}, {}), "zeta");
}

TEST(FirstShortfall, SoldOutAndNegativeAvailabilityAreShort) {
  EXPECT_EQ(first_shortfall({{"widget", 1}}, {{"widget", 0}}), "widget");
  EXPECT_EQ(first_shortfall({{"widget", 1}}, {{"widget", -1}}), "widget");
}

}  // namespace
}  // namespace choreo::inventory_worker
