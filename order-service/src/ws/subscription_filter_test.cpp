#include "ws/subscription_filter.hpp"

#include <gtest/gtest.h>

#include "api/order_schema.hpp"

namespace choreo::order_service::ws {
namespace {

class SubscriptionFilterTest : public ::testing::Test {
 protected:
  std::optional<std::string> filter(const std::string& query,
                                    const graphql::InputObject& variables = {}) {
    auto preparation = graphql::prepare(schema_, query, std::nullopt);
    EXPECT_TRUE(preparation.errors.empty()) << query;
    return order_id_filter(*preparation.prepared, variables);
  }

  static graphql::InputObject variables(graphql::InputValue value) {
    graphql::InputObject object;
    object.fields.push_back({"id", std::move(value)});
    return object;
  }

  graphql::Schema schema_ = build_order_schema();
};

TEST_F(SubscriptionFilterTest, NoArgumentMeansEveryOrder) {
  EXPECT_EQ(filter("subscription { orderStatusUpdated { id } }"), std::nullopt);
  EXPECT_EQ(filter("subscription { orderStatusUpdated(orderId: null) { id } }"), std::nullopt);
}

TEST_F(SubscriptionFilterTest, LiteralArgument) {
  EXPECT_EQ(filter(R"(subscription { orderStatusUpdated(orderId: "o-1") { id } })"), "o-1");
}

TEST_F(SubscriptionFilterTest, VariableArgumentAndItsDefault) {
  const std::string query = "subscription S($id: ID) { orderStatusUpdated(orderId: $id) { id } }";
  EXPECT_EQ(filter(query, variables({std::string("o-2")})), "o-2");
  EXPECT_EQ(filter(query, variables({nullptr})), std::nullopt);
  EXPECT_EQ(filter(query), std::nullopt);
  EXPECT_EQ(
      filter(R"(subscription S($id: ID = "o-3") { orderStatusUpdated(orderId: $id) { id } })"),
      "o-3");
  EXPECT_THROW(filter(query, variables({true})), FilterError);
}

TEST_F(SubscriptionFilterTest, RootFieldInsideFragments) {
  EXPECT_EQ(filter(R"(subscription { ...F }
                      fragment F on Subscription { orderStatusUpdated(orderId: "o-4") { id } })"),
            "o-4");
  EXPECT_EQ(
      filter(
          R"(subscription { ... on Subscription { u: orderStatusUpdated(orderId: "o-5") { id } } })"),
      "o-5");
}

}  // namespace
}  // namespace choreo::order_service::ws
