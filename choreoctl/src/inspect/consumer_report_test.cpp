#include "inspect/consumer_report.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace choreo::ctl::inspect {
namespace {

constexpr std::int64_t kNow = 1'764'763'200'000'000'000;

bus::ConsumerState payment_processors() {
  bus::ConsumerState state;
  state.name = "payment_processors";
  state.filter_subject = "events.inventory.reserved";
  state.num_pending = 42;
  state.num_ack_pending = 3;
  state.max_ack_pending = 1000;
  state.num_redelivered = 1;
  state.num_waiting = 0;
  state.delivered_stream_sequence = 900;
  state.last_delivered_ns = kNow - 12'000'000'000;
  return state;
}

TEST(ConsumerTable, OneRowPerDurableWithItsLag) {
  std::ostringstream out;
  print_consumer_table({payment_processors()}, kNow, out);
  const auto text = out.str();
  EXPECT_NE(text.find("CONSUMER"), std::string::npos);
  EXPECT_NE(text.find("payment_processors"), std::string::npos);
  EXPECT_NE(text.find("events.inventory.reserved"), std::string::npos);
  EXPECT_NE(text.find("3 / 1000"), std::string::npos);
  EXPECT_NE(text.find("12.0s ago"), std::string::npos);
}

TEST(ConsumerTable, SaysSoWhenThereAreNone) {
  std::ostringstream out;
  print_consumer_table({}, kNow, out);
  EXPECT_NE(out.str().find("no consumers"), std::string::npos);
}

}  // namespace
}  // namespace choreo::ctl::inspect
