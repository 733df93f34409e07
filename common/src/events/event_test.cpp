#include "events/event.hpp"

#include <gtest/gtest.h>

#include <set>

namespace choreo::events {
namespace {

TEST(DecodeEvent, ObjectPayloadWithMsgId) {
  const auto decoded =
      decode_event("events.order.created", R"({"order_id":"0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20"})",
                   std::string("abc"), 7, 2);
  ASSERT_TRUE(std::holds_alternative<Event>(decoded));
  const auto& event = std::get<Event>(decoded);
  EXPECT_EQ(event.id, "abc");
  EXPECT_EQ(event.subject, "events.order.created");
  EXPECT_EQ(event.stream_sequence, 7u);
  EXPECT_EQ(event.delivery_attempt, 2u);
  EXPECT_EQ(event.order_id(), "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20");
}

TEST(DecodeEvent, MissingMsgIdFallsBackToStableStreamId) {
  const auto decoded = decode_event("events.x", "{}", std::nullopt, 42, 1);
  ASSERT_TRUE(std::holds_alternative<Event>(decoded));
  EXPECT_EQ(std::get<Event>(decoded).id, "stream-seq-42");
  EXPECT_FALSE(std::get<Event>(decoded).order_id().has_value());
}

TEST(DecodeEvent, RejectsWhatCanNeverSucceed) {
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_event("s", "{not json", "id", 1, 1)));
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_event("s", "", "id", 1, 1)));
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_event("s", "[1,2]", "id", 1, 1)));
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_event("s", "\"text\"", "id", 1, 1)));
  EXPECT_TRUE(
      std::holds_alternative<DecodeError>(decode_event("s", "{}", std::string(201, 'x'), 1, 1)));
}

TEST(CarriedEventId, ReplayHeaderWinsOverMsgId) {
  // A replay is published under a new Nats-Msg-Id but keeps the original event id.
  EXPECT_EQ(carried_event_id(std::string("original"), std::string("replay-7-1")), "original");
  EXPECT_EQ(carried_event_id(std::nullopt, std::string("abc")), "abc");
  EXPECT_EQ(carried_event_id(std::string(""), std::string("abc")), "abc");
  EXPECT_FALSE(carried_event_id(std::nullopt, std::nullopt).has_value());
  EXPECT_FALSE(carried_event_id(std::string(""), std::string("")).has_value());
}

TEST(DecodeEvent, TakesTheCarriedIdOfAReplay) {
  const auto decoded = decode_event(
      "events.x", "{}", carried_event_id(std::string("orig"), std::string("r-1")), 9, 1);
  ASSERT_TRUE(std::holds_alternative<Event>(decoded));
  EXPECT_EQ(std::get<Event>(decoded).id, "orig");
  EXPECT_EQ(std::get<Event>(decoded).stream_sequence, 9u);
}

TEST(EventIds, AreDistinctUuidV4) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = new_event_id();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '4');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IsUuid, ChecksShape) {
  EXPECT_TRUE(is_uuid("550e8400-e29b-41d4-a716-446655440000"));
  EXPECT_FALSE(is_uuid("550e8400e29b41d4a716446655440000"));
  EXPECT_FALSE(is_uuid("550e8400-e29b-41d4-a716-44665544000g"));
  EXPECT_FALSE(is_uuid(""));
}

}  // namespace
}  // namespace choreo::events
