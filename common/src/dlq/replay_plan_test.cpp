#include "dlq/replay_plan.hpp"

#include <gtest/gtest.h>

namespace choreo::dlq {
namespace {

DeadLetterRecord letter() {
  DeadLetterRecord record;
  record.service = "payment-worker";
  record.id = 12;
  record.consumer = "payment_processors";
  record.subject = "events.inventory.reserved";
  record.stream_sequence = 345;
  record.event_id = "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20";
  record.headers = {{"Nats-Msg-Id", "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20"},
                    {"Nats-Expected-Stream", "events"},
                    {"traceparent", "00-abc-def-01"}};
  record.payload = R"({"order_id":"x"})";
  return record;
}

TEST(ReplayMessage, KeepsTheEventIdUnderANewMessageId) {
  const auto message = replay_message(letter());
  EXPECT_EQ(message.subject, "events.inventory.reserved");
  EXPECT_EQ(message.payload, R"({"order_id":"x"})");
  EXPECT_EQ(message.event_id, "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20");
  EXPECT_EQ(message.msg_id, "replay-payment-worker-12-1");
  EXPECT_EQ(message.headers.at("Nats-Msg-Id"), "replay-payment-worker-12-1");
  EXPECT_EQ(message.headers.at("Choreo-Event-Id"), "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20");
  EXPECT_EQ(message.headers.at("Choreo-Replay-Of"), "payment-worker/12");
  EXPECT_EQ(message.headers.at("traceparent"), "00-abc-def-01");
  EXPECT_EQ(message.headers.count("Nats-Expected-Stream"), 0U);
}

TEST(ReplayMessage, EachCommittedReplayGetsItsOwnMessageId) {
  auto record = letter();
  record.replays = 2;
  EXPECT_EQ(replay_message(record).msg_id, "replay-payment-worker-12-3");
}

TEST(ReplayMessage, AReplayOfAReplayKeepsTheOriginalEventId) {
  // A replay that failed again is a new dead letter whose event id is still the original one,
  // and whose headers carry the first replay's.
  auto record = letter();
  record.id = 13;
  record.headers = {{"Nats-Msg-Id", "replay-payment-worker-12-1"},
                    {"Choreo-Event-Id", "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20"},
                    {"Choreo-Replay-Of", "payment-worker/12"}};
  const auto message = replay_message(record);
  EXPECT_EQ(message.headers.at("Choreo-Event-Id"), "0b6f4a1e-7d1c-4c55-9a43-2b7a4c3f1e20");
  EXPECT_EQ(message.headers.at("Choreo-Replay-Of"), "payment-worker/13");
  EXPECT_EQ(message.msg_id, "replay-payment-worker-13-1");
  EXPECT_EQ(message.headers.size(), 3U);
}

TEST(ReplayMessage, AMessageWithoutEventIdKeepsItsStreamSequenceId) {
  auto record = letter();
  record.event_id.reset();
  EXPECT_EQ(replay_message(record).event_id, "stream-seq-345");
}

TEST(ReplayRefusal, AReplayedRowNeedsForce) {
  auto record = letter();
  EXPECT_FALSE(replay_refusal(record, false).has_value());
  record.replayed_at = "2026-01-01T00:00:00Z";
  const auto refusal = replay_refusal(record, false);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("--force"), std::string::npos);
  EXPECT_FALSE(replay_refusal(record, true).has_value());
}

TEST(ReplayRefusal, ARowOlderThanTheInboxRetentionNeedsForce) {
  auto record = letter();
  record.older_than_inbox_retention = true;
  const auto refusal = replay_refusal(record, false);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("INBOX_RETENTION"), std::string::npos);
  EXPECT_FALSE(replay_refusal(record, true).has_value());
}

}  // namespace
}  // namespace choreo::dlq
