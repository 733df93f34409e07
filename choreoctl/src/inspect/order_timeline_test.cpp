#include "inspect/order_timeline.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace choreo::ctl::inspect {
namespace {

constexpr double kStart = 1'764'763'200'000.0;  // ms since the epoch

TimelineEvent event(long long sequence, const std::string& subject, double at_ms,
                    nlohmann::ordered_json data = nlohmann::ordered_json::object()) {
  TimelineEvent item;
  item.stream_sequence = sequence;
  item.subject = subject;
  item.event_id = "e-" + std::to_string(sequence);
  item.at_ms = at_ms;
  item.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  item.data = std::move(data);
  return item;
}

OrderTimeline shipped_order() {
  OrderTimeline timeline;
  timeline.order.id = "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20";
  timeline.order.identifier = "ord-1";
  timeline.order.status = "shipped";
  timeline.order.total = "19.99";
  timeline.order.created_at_ms = kStart - 5;
  timeline.order.trace_parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  // Out of order on purpose: the timeline is in stream order whatever the rows' order.
  timeline.events.push_back(event(12, "events.payment.charged", kStart + 40));
  timeline.events.push_back(event(10, "events.order.created", kStart));
  timeline.events.push_back(event(11, "events.inventory.reserved", kStart + 25));
  timeline.events.push_back(event(13, "events.order.status_updated", kStart + 55,
                                  {{"status", "paid"}, {"previous_status", "pending"}}));
  timeline.events[2].handled_by.push_back({"payment-worker", "payment_processors", 3, kStart + 39});
  return timeline;
}

TEST(OrderTimeline, InStreamOrderWithTheTimeSinceEachStepBefore) {
  auto timeline = shipped_order();
  finish_timeline(timeline);
  ASSERT_EQ(timeline.events.size(), 4u);
  EXPECT_EQ(timeline.events[0].subject, "events.order.created");
  EXPECT_FALSE(timeline.events[0].since_previous_ms.has_value());
  EXPECT_DOUBLE_EQ(*timeline.events[1].since_previous_ms, 25);
  EXPECT_DOUBLE_EQ(*timeline.events[2].since_previous_ms, 15);
  EXPECT_DOUBLE_EQ(*timeline.duration_ms, 55);
  EXPECT_EQ(timeline.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(OrderTimeline, TheTraceComesFromTheEventsWhenTheOrderHasNone) {
  auto timeline = shipped_order();
  timeline.order.trace_parent.reset();
  timeline.events[0].trace_id.clear();
  finish_timeline(timeline);
  EXPECT_EQ(timeline.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(OrderTimeline, JsonNamesWhoHandledEachStepAndTheStatusChanges) {
  auto timeline = shipped_order();
  finish_timeline(timeline);
  const auto json = timeline_json(timeline);
  EXPECT_EQ(json["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(json["events"][1]["subject"], "events.inventory.reserved");
  EXPECT_EQ(json["events"][1]["handled_by"][0]["consumer"], "payment_processors");
  EXPECT_EQ(json["events"][1]["handled_by"][0]["deliveries"], 3);
  EXPECT_DOUBLE_EQ(json["events"][1]["handled_by"][0]["after_ms"].get<double>(), 14);
  EXPECT_EQ(json["events"][3]["status_change"]["from"], "pending");
  EXPECT_EQ(json["events"][3]["status_change"]["to"], "paid");
  EXPECT_FALSE(json["events"][0].contains("status_change"));
  EXPECT_TRUE(json["payment"].is_null());
  EXPECT_DOUBLE_EQ(json["duration_ms"].get<double>(), 55);
}

TEST(OrderTimeline, TextShowsEachStepOnItsOwnLine) {
  auto timeline = shipped_order();
  finish_timeline(timeline);
  std::ostringstream out;
  print_timeline(timeline, out);
  const auto text = out.str();
  EXPECT_NE(text.find("trace 4bf92f3577b34da6a3ce929d0e0e4736"), std::string::npos);
  EXPECT_NE(text.find("+25ms  #11 events.inventory.reserved"), std::string::npos) << text;
  EXPECT_NE(text.find("handled by payment_processors (3 deliveries)"), std::string::npos);
  EXPECT_NE(text.find("status pending -> paid"), std::string::npos);
  EXPECT_NE(text.find("flow: 55ms"), std::string::npos);
}

}  // namespace
}  // namespace choreo::ctl::inspect
