#include "inspect/live_event.hpp"

#include <gtest/gtest.h>

namespace choreo::ctl::inspect {
namespace {

constexpr std::int64_t kAt = 1'764'763'200'000'000'000;

TEST(LiveEvent, ReadsTheOrderTheEventAndTheTrace) {
  const auto event = read_live_event(
      kAt, "events.order.status_updated",
      R"({"order_id":"0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20","status":"paid","previous_status":"pending"})",
      {{"Nats-Msg-Id", "e-1"},
       {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}});
  EXPECT_EQ(event.order_id, "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20");
  EXPECT_EQ(event.event_id, "e-1");
  EXPECT_EQ(event.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  const auto line = live_event_line(event);
  EXPECT_EQ(line.rfind("2025-12-03T12:00:00.000Z  events.order.status_updated", 0), 0u) << line;
  EXPECT_NE(line.find("status=paid"), std::string::npos);
  EXPECT_NE(line.find("trace=4bf92f3577b34da6a3ce929d0e0e4736"), std::string::npos);
  const auto json = nlohmann::json::parse(live_event_json(event));
  EXPECT_EQ(json["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(json["data"]["status"], "paid");
}

TEST(LiveEvent, AReplayIsKnownByItsOriginalEventId) {
  const auto event = read_live_event(kAt, "events.x", "{}",
                                     {{"Nats-Msg-Id", "replay-1"}, {"Choreo-Event-Id", "e-1"}});
  EXPECT_EQ(event.event_id, "e-1");
}

TEST(LiveEvent, APayloadThatIsNotJsonIsShownAsText) {
  const auto event = read_live_event(kAt, "events.x", "not json", {});
  EXPECT_TRUE(event.order_id.empty());
  EXPECT_EQ(nlohmann::json::parse(live_event_json(event))["data"], "not json");
  EXPECT_TRUE(nlohmann::json::parse(live_event_json(event))["trace_id"].is_null());
}

}  // namespace
}  // namespace choreo::ctl::inspect
