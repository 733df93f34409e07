#include "bus/consumer_state_json.hpp"

#include <gtest/gtest.h>

namespace choreo::bus {
namespace {

constexpr std::int64_t kNow = 1'764'763'200'000'000'000;

ConsumerState payment_processors() {
  ConsumerState state;
  state.name = "payment_processors";
  state.filter_subject = "events.inventory.reserved";
  state.num_pending = 42;
  state.num_ack_pending = 3;
  state.max_ack_pending = 1000;
  state.num_redelivered = 1;
  state.last_delivered_ns = kNow - 12'000'000'000;
  return state;
}

TEST(ConsumerJson, CarriesEveryCountAndTheLastActivity) {
  const auto json = consumer_json(payment_processors(), kNow);
  EXPECT_EQ(json["name"], "payment_processors");
  EXPECT_EQ(json["num_pending"], 42);
  EXPECT_EQ(json["num_ack_pending"], 3);
  EXPECT_EQ(json["max_ack_pending"], 1000);
  EXPECT_EQ(json["num_redelivered"], 1);
  EXPECT_DOUBLE_EQ(json["last_delivered_seconds_ago"].get<double>(), 12.0);
  EXPECT_TRUE(json["last_acked"].is_null());
}

}  // namespace
}  // namespace choreo::bus
