// The common JetStream bus against the stack's real nats-server.
#include <gtest/gtest.h>

#include "bus/nats_error.hpp"
#include "events/event.hpp"
#include "polling.hpp"
#include "stack_clients.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

TEST(JetStreamBus, EventsStreamHasTheContractedShape) {
  auto bus = connect_jetstream("bus-test");
  bus->ensure_stream(bus::StreamSettings{});  // a second ensure is harmless
  const auto state = bus->stream_state("events");
  ASSERT_EQ(state.subjects.size(), 1u);
  EXPECT_EQ(state.subjects[0], "events.>");
  EXPECT_EQ(state.storage, static_cast<int>(js_FileStorage));
  EXPECT_GE(state.duplicate_window_ns, 120LL * 1'000'000'000LL);
}

TEST(JetStreamBus, SameMsgIdIsStoredOnce) {
  auto bus = connect_jetstream("bus-test");
  const auto id = events::new_event_id();
  const auto first = bus->publish({"events.test.dedupe", R"({"n":1})", id});
  const auto second = bus->publish({"events.test.dedupe", R"({"n":1})", id});
  ASSERT_TRUE(first.stored && second.stored);
  EXPECT_FALSE(first.duplicate);
  EXPECT_TRUE(second.duplicate);
  EXPECT_EQ(second.sequence, first.sequence);
}

TEST(JetStreamBus, PullConsumerAckNakAndTerm) {
  auto bus = connect_jetstream("bus-test");
  const auto subject = "events.test.pull." + unique_suffix().substr(0, 8);
  bus::ConsumerSettings settings;
  settings.durable = "bus_test_" + std::to_string(std::hash<std::string>{}(subject) % 1000000);
  settings.filter_subject = subject;
  settings.ack_wait = 30s;
  auto consumer = bus->pull_consumer(settings);

  std::vector<bus::OutgoingMessage> messages;
  for (int i = 0; i < 3; ++i) {
    messages.push_back({subject, "{\"n\":" + std::to_string(i) + "}", events::new_event_id()});
  }
  const auto outcomes = bus->publish_batch(messages, 5s);
  for (const auto& outcome : outcomes)
    ASSERT_TRUE(outcome.stored) << outcome.error;
  EXPECT_LT(outcomes[0].sequence, outcomes[2].sequence) << "stored in publish order";

  std::vector<bus::ReceivedMessage> received;
  ASSERT_TRUE(eventually([&] {
    for (auto& message : consumer->fetch_ready(10, 500ms))
      received.push_back(std::move(message));
    return received.size() == 3;
  }));
  EXPECT_EQ(received[0].header("Nats-Msg-Id"), messages[0].msg_id);
  EXPECT_EQ(received[0].delivery().num_delivered, 1u);
  EXPECT_EQ(received[1].data(), messages[1].payload);
  received[0].ack();
  received[1].nak(100ms);
  received[2].term();

  std::vector<bus::ReceivedMessage> again;
  ASSERT_TRUE(eventually([&] {
    for (auto& message : consumer->fetch_ready(10, 500ms))
      again.push_back(std::move(message));
    return !again.empty();
  }));
  ASSERT_EQ(again.size(), 1u) << "only the nak'ed message comes back";
  EXPECT_EQ(again[0].header("Nats-Msg-Id"), messages[1].msg_id);
  EXPECT_EQ(again[0].delivery().num_delivered, 2u);
  again[0].ack();
  ASSERT_TRUE(eventually([&] {
    const auto state = bus->consumer_state("events", settings.durable);
    return state.num_ack_pending == 0 && state.num_pending == 0;
  }));
}

TEST(JetStreamBus, GetMessageBySequenceKeepsHeaders) {
  auto bus = connect_jetstream("bus-test");
  const auto id = events::new_event_id();
  const auto outcome = bus->publish({"events.test.get", R"({"x":true})", id});
  ASSERT_TRUE(outcome.stored);
  const auto stored = bus->get_message("events", outcome.sequence);
  EXPECT_EQ(stored.subject, "events.test.get");
  EXPECT_EQ(stored.data, R"({"x":true})");
  EXPECT_EQ(stored.headers.at("Nats-Msg-Id"), id);
}

}  // namespace
}  // namespace choreo::testing
