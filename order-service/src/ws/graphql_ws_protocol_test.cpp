#include "ws/graphql_ws_protocol.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace choreo::order_service::ws {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const SteadyTime kStart{};
const WallTime kNoon = WallTime{} + 1000h;

Identity fake_authenticate(std::string_view token) {
  if (token == "good")
    return {"alice", kNoon + 1h};
  if (token == "forever")
    return {"bob", std::nullopt};
  throw std::runtime_error("the token's signature is invalid");
}

class ProtocolTest : public ::testing::Test {
 protected:
  GraphQLWsProtocol make(ProtocolSettings settings = {}) {
    return GraphQLWsProtocol(settings, fake_authenticate, kStart);
  }

  static Actions receive(GraphQLWsProtocol& protocol, const json& message) {
    return protocol.receive(message.dump(), kStart + 1s);
  }

  static json sent(const Actions& actions, std::size_t index = 0) {
    EXPECT_GT(actions.size(), index);
    const auto* send = std::get_if<action::Send>(&actions.at(index));
    EXPECT_NE(send, nullptr) << "action " << index << " is not a Send";
    return send ? json::parse(send->text) : json();
  }

  static std::uint16_t close_code_of(const Actions& actions) {
    if (actions.empty())
      return 0;
    const auto* close = std::get_if<action::Close>(&actions.back());
    return close ? close->code : 0;
  }

  static json init(const json& payload) {
    return {{"type", "connection_init"}, {"payload", payload}};
  }

  static json subscribe(const std::string& id, const std::string& query = "{ products { sku } }") {
    return {{"id", id}, {"type", "subscribe"}, {"payload", {{"query", query}}}};
  }

  GraphQLWsProtocol acknowledged() {
    auto protocol = make();
    const auto actions = receive(protocol, init({{"Authorization", "Bearer good"}}));
    EXPECT_EQ(sent(actions)["type"], "connection_ack");
    return protocol;
  }
};

TEST_F(ProtocolTest, InitWithBearerAuthorizationIsAcknowledged) {
  auto protocol = acknowledged();
  EXPECT_TRUE(protocol.acknowledged());
  EXPECT_EQ(protocol.identity().user, "alice");
}

TEST_F(ProtocolTest, InitWithTokenFieldIsAcknowledged) {
  auto protocol = make();
  const auto actions = receive(protocol, init({{"token", "forever"}}));
  EXPECT_EQ(sent(actions), json::parse(R"({"type":"connection_ack"})"));
  EXPECT_EQ(protocol.identity().user, "bob");
}

TEST_F(ProtocolTest, BadOrMissingTokenIs4403) {
  for (const auto& payload : {json{{"Authorization", "Bearer bad"}}, json{{"token", "bad"}},
                              json{{"Authorization", "Basic abc"}}, json::object()}) {
    auto protocol = make();
    const auto actions = receive(protocol, init(payload));
    EXPECT_EQ(close_code_of(actions), close_code::kForbidden) << payload.dump();
    EXPECT_TRUE(protocol.closed());
  }
  auto protocol = make();
  const auto actions = receive(protocol, init({{"token", "bad"}}));
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason,
            "Forbidden: the token's signature is invalid");
}

TEST_F(ProtocolTest, SecondInitIs4429) {
  auto protocol = acknowledged();
  EXPECT_EQ(close_code_of(receive(protocol, init({{"token", "good"}}))),
            close_code::kTooManyInitRequests);
}

TEST_F(ProtocolTest, SubscribeBeforeAckIs4401) {
  auto protocol = make();
  EXPECT_EQ(close_code_of(receive(protocol, subscribe("1"))), close_code::kUnauthorized);
}

TEST_F(ProtocolTest, InvalidMessagesAre4400) {
  for (const std::string text :
       {"not json", "[]", R"({"id":"1"})", R"({"type":7})", R"({"type":"next","id":"1"})",
        R"({"type":"subscribe","id":"1"})", R"({"type":"subscribe","payload":{"query":"{a}"}})",
        R"({"type":"subscribe","id":"","payload":{"query":"{a}"}})",
        R"({"type":"subscribe","id":"1","payload":{"query":"{a}","variables":[]}})",
        R"({"type":"complete"})", R"({"type":"connection_ack"})"}) {
    auto protocol = acknowledged();
    EXPECT_EQ(close_code_of(protocol.receive(text, kStart + 1s)), close_code::kInvalidMessage)
        << text;
  }
}

TEST_F(ProtocolTest, SubscribeStartsTheOperationWithItsVariables) {
  auto protocol = acknowledged();
  const auto actions =
      receive(protocol, {{"id", "a"},
                         {"type", "subscribe"},
                         {"payload",
                          {{"query", "query Q($id: ID!) { order(id: $id) { id } }"},
                           {"operationName", "Q"},
                           {"variables", {{"id", "42"}}}}}});
  ASSERT_EQ(actions.size(), 1u);
  const auto& start = std::get<action::Start>(actions.front());
  EXPECT_EQ(start.request.id, "a");
  EXPECT_EQ(start.request.operation_name, "Q");
  ASSERT_NE(start.request.variables.find("id"), nullptr);
  EXPECT_EQ(*start.request.variables.find("id")->string(), "42");
  EXPECT_TRUE(protocol.running("a"));
}

TEST_F(ProtocolTest, DuplicateIdIs4409) {
  auto protocol = acknowledged();
  receive(protocol, subscribe("a"));
  const auto actions = receive(protocol, subscribe("a"));
  EXPECT_EQ(close_code_of(actions), close_code::kSubscriberExists);
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, "Subscriber for a already exists");
}

TEST_F(ProtocolTest, AnIdCanBeReusedOnceCompleted) {
  auto protocol = acknowledged();
  receive(protocol, subscribe("a"));
  EXPECT_EQ(sent(protocol.complete("a")), json::parse(R"({"id":"a","type":"complete"})"));
  EXPECT_TRUE(std::holds_alternative<action::Start>(receive(protocol, subscribe("a")).front()));
}

TEST_F(ProtocolTest, NextErrorAndCompleteOnlyForRunningOperations) {
  auto protocol = acknowledged();
  receive(protocol, subscribe("a"));
  const auto next = protocol.next("a", R"({"data":{"x":1}})");
  EXPECT_EQ(sent(next), json::parse(R"({"id":"a","type":"next","payload":{"data":{"x":1}}})"));
  EXPECT_TRUE(protocol.next("zzz", "{}").empty());
  const auto error = protocol.error("a", R"([{"message":"no"}])");
  EXPECT_EQ(sent(error), json::parse(R"({"id":"a","type":"error","payload":[{"message":"no"}]})"));
  EXPECT_TRUE(protocol.next("a", "{}").empty()) << "an error ends the operation";
  EXPECT_TRUE(protocol.complete("a").empty());
}

TEST_F(ProtocolTest, ClientCompleteStopsTheOperationSilently) {
  auto protocol = acknowledged();
  receive(protocol, subscribe("a"));
  const auto actions = receive(protocol, {{"id", "a"}, {"type", "complete"}});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<action::Stop>(actions.front()).id, "a");
  EXPECT_TRUE(protocol.next("a", "{}").empty());
  EXPECT_TRUE(receive(protocol, {{"id", "a"}, {"type", "complete"}}).empty());
}

TEST_F(ProtocolTest, PingIsAnsweredWithPongEvenBeforeInit) {
  auto protocol = make();
  EXPECT_EQ(sent(receive(protocol, {{"type", "ping"}})), json::parse(R"({"type":"pong"})"));
  EXPECT_TRUE(receive(protocol, {{"type", "pong"}}).empty());
}

TEST_F(ProtocolTest, NoInitInTimeIs4408) {
  ProtocolSettings settings;
  settings.init_timeout = 3s;
  auto protocol = make(settings);
  EXPECT_TRUE(protocol.tick(kStart + 2s, kNoon).empty());
  EXPECT_EQ(close_code_of(protocol.tick(kStart + 3s, kNoon)), close_code::kInitTimeout);
  auto on_time = make(settings);
  receive(on_time, init({{"token", "good"}}));
  EXPECT_TRUE(on_time.tick(kStart + 10s, kNoon).empty());
}

TEST_F(ProtocolTest, ExpiredTokenCompletesEverythingAndCloses4403) {
  auto protocol = acknowledged();
  receive(protocol, subscribe("a"));
  receive(protocol, subscribe("b"));
  EXPECT_TRUE(protocol.tick(kStart + 2s, kNoon + 59min).empty());
  const auto actions = protocol.tick(kStart + 2s, kNoon + 1h);
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(sent(actions, 0), json::parse(R"({"id":"a","type":"complete"})"));
  EXPECT_EQ(sent(actions, 1), json::parse(R"({"id":"b","type":"complete"})"));
  EXPECT_EQ(close_code_of(actions), close_code::kForbidden);
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, "Forbidden: token expired");
}

TEST_F(ProtocolTest, ShutdownCompletesEverythingAndCloses1001) {
  auto protocol = acknowledged();
  receive(protocol, subscribe("a"));
  const auto actions = protocol.shutdown();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(sent(actions), json::parse(R"({"id":"a","type":"complete"})"));
  EXPECT_EQ(close_code_of(actions), close_code::kGoingAway);
  EXPECT_TRUE(protocol.shutdown().empty());
  EXPECT_TRUE(receive(protocol, {{"type", "ping"}}).empty()) << "closed: nothing more";
}

TEST_F(ProtocolTest, MessageFloodIsClosedWith1008) {
  ProtocolSettings settings;
  settings.messages_per_second = 10;
  settings.message_burst = 5;
  auto protocol = make(settings);
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(protocol.receive(R"({"type":"pong"})", kStart).size() > 0) << i;
  }
  EXPECT_EQ(close_code_of(protocol.receive(R"({"type":"pong"})", kStart)),
            close_code::kPolicyViolation);
  auto refilled = make(settings);
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(refilled.receive(R"({"type":"pong"})", kStart + i * 100ms).empty()) << i;
  }
}

TEST_F(ProtocolTest, TooManyOperationsGetAnErrorNotAClose) {
  ProtocolSettings settings;
  settings.max_operations = 1;
  auto protocol = make(settings);
  receive(protocol, init({{"token", "good"}}));
  receive(protocol, subscribe("a"));
  const auto actions = receive(protocol, subscribe("b"));
  EXPECT_EQ(sent(actions)["type"], "error");
  EXPECT_EQ(sent(actions)["id"], "b");
  EXPECT_FALSE(protocol.closed());
  EXPECT_FALSE(protocol.running("b"));
}

}  // namespace
}  // namespace choreo::order_service::ws
