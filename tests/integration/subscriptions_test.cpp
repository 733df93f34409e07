// GraphQL subscriptions over WebSocket (graphql-transport-ws) against the stack: the handshake,
// delivery of each status change to the order's owner only, the orderId filter, every close code
// of the protocol, operations sent over the socket, a slow reader, and a graceful stop.
//
// Orders are created through the GraphQL API and moved by publishing the workers' events (the
// workers are stopped), so each test decides exactly when an order moves.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "events/event.hpp"
#include "graphql_client.hpp"
#include "harness.hpp"
#include "polling.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"
#include "token/hs256_token.hpp"
#include "websocket_client.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Short enough for the tests: the init deadline (4408) and a send queue a slow reader overflows
// quickly. Every test runs the order service with these, so it is restarted at most once.
const std::map<std::string, std::string> kOrderServiceEnv = {{"WS_INIT_TIMEOUT", "1s"},
                                                             {"WS_SEND_QUEUE_BYTES", "65536"}};

const char* kStatusSubscription =
    "subscription ($id: ID) { orderStatusUpdated(orderId: $id) { id identifier status "
    "items { sku quantity } } }";

// True when the order service's last start was given every variable of `env` (the harness keeps
// each run's environment in pids/<service>.environment).
bool started_with(const std::map<std::string, std::string>& env) {
  std::ifstream file(StackEnv::current().stack_dir() + "/pids/order-service.environment");
  std::set<std::string> lines;
  for (std::string line; std::getline(file, line);)
    lines.insert(line);
  for (const auto& [key, value] : env) {
    if (lines.count(key + "=" + value) == 0)
      return false;
  }
  return true;
}

class SubscriptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Harness harness = Harness::for_current_stack();
    if (!harness.running("order-service")) {
      harness.start("order-service", kOrderServiceEnv);
    } else if (!started_with(kOrderServiceEnv)) {
      harness.restart("order-service", kOrderServiceEnv);
    }
    // The tests move orders by publishing the workers' events; running workers would move them
    // on their own.
    for (const char* worker : {"inventory-worker", "payment-worker", "shipping-worker"}) {
      if (harness.running(worker))
        harness.stop(worker);
    }
    bus_ = connect_jetstream("subscriptions-test");
  }

  static std::string user(const std::string& name) { return "ws-" + name + "-" + unique_suffix(); }

  static std::string url() { return StackEnv::current().get("GRAPHQL_URL"); }

  // A connection that has been acknowledged for `user`.
  static std::unique_ptr<WebSocketClient> connect(const std::string& user,
                                                  WebSocketClient::Options options = {}) {
    auto client = std::make_unique<WebSocketClient>(url(), options);
    client->send(connection_init(token_for(user)));
    const auto ack = client->receive_json();
    EXPECT_TRUE(ack.has_value()) << "no connection_ack; closed with " << client->close_code() << " "
                                 << client->close_reason();
    if (ack) {
      EXPECT_EQ((*ack)["type"], "connection_ack");
    }
    return client;
  }

  // Subscribes and waits until the server has registered it: subscriptions are registered before
  // the next message is read, so the answer to a ping proves it.
  static void subscribe(WebSocketClient& client, const std::string& id, const std::string& query,
                        const json& variables = nullptr) {
    client.send(subscribe_message(id, query, variables));
    client.send(json{{"type", "ping"}});
    const auto pong = client.receive_json();
    ASSERT_TRUE(pong.has_value());
    ASSERT_EQ((*pong)["type"], "pong") << pong->dump();
  }

  static std::string create_order(const std::string& user, const std::string& total = "19.99") {
    const auto reply = graphql(
        "mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id status } }",
        {{"input", {{"identifier", "ws-" + unique_suffix()}, {"total", total}}}}, token_for(user));
    EXPECT_EQ(reply.status, 200) << reply.raw;
    EXPECT_FALSE(reply.body.contains("errors")) << reply.raw;
    return reply.body["data"]["createOrder"]["id"];
  }

  void publish(const std::string& subject, const json& payload) {
    ASSERT_TRUE(bus_->publish({subject, payload.dump(), events::new_event_id()}).stored);
  }
  void charge(const std::string& order_id) {
    publish("events.payment.charged", {{"order_id", order_id},
                                       {"payment_id", events::new_event_id()},
                                       {"amount", "19.99"},
                                       {"shipping_address", nullptr}});
  }
  // Charges the order and waits until it is paid: the paid and shipped consumers are separate,
  // so a shipment published at once may overtake the payment (and then "paid" never happens).
  void charge_and_await_paid(const std::string& order_id) {
    charge(order_id);
    auto db = connect_database();
    ASSERT_TRUE(eventually([&] {
      return query_value(*db, "SELECT status FROM tb_order WHERE id = " + db->quote(order_id) +
                                  "::uuid") == "paid";
    }));
  }
  void ship(const std::string& order_id) {
    publish("events.order.shipped",
            {{"order_id", order_id}, {"tracking_number", "TRK-1"}, {"carrier", "SimPost"}});
  }

  // The `next` payloads received until `done` says enough (or the deadline passes).
  static std::vector<json> receive_until(WebSocketClient& client,
                                         const std::function<bool(const std::vector<json>&)>& done,
                                         std::chrono::milliseconds deadline = 10s) {
    std::vector<json> messages;
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!done(messages) && std::chrono::steady_clock::now() < end) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (auto message = client.receive_json(left))
        messages.push_back(std::move(*message));
      if (client.closed())
        break;
    }
    return messages;
  }

  // "id:status" of each `next` for the operation `id`.
  static std::vector<std::string> statuses(const std::vector<json>& messages,
                                           const std::string& id = "s") {
    std::vector<std::string> out;
    for (const auto& message : messages) {
      if (message.value("type", "") == "next" && message.value("id", "") == id) {
        const auto& order = message["payload"]["data"]["orderStatusUpdated"];
        out.push_back(order["id"].get<std::string>() + ":" + order["status"].get<std::string>());
      }
    }
    return out;
  }

  static bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
  }

  std::unique_ptr<bus::JetStreamClient> bus_;
};

TEST_F(SubscriptionsTest, InitIsAcknowledgedAndPingAnswered) {
  auto client = connect(user("hello"));
  EXPECT_EQ(client->subprotocol(), "graphql-transport-ws");
  client->send(json{{"type", "ping"}});
  EXPECT_EQ(client->receive_json(), json::parse(R"({"type":"pong"})"));
  // The token may come as payload.token too.
  WebSocketClient other(url());
  other.send(json{{"type", "connection_init"}, {"payload", {{"token", token_for(user("t"))}}}});
  EXPECT_EQ(other.receive_json(), json::parse(R"({"type":"connection_ack"})"));
}

TEST_F(SubscriptionsTest, AnotherSubprotocolIsRefused) {
  WebSocketClient::Options options;
  options.subprotocol = "graphql-ws";
  EXPECT_EQ(WebSocketClient::handshake_status(url(), options), 400);
}

TEST_F(SubscriptionsTest, EachUserSeesOnlyTheirOwnOrdersGoPaidThenShipped) {
  const auto alice = user("alice");
  const auto bob = user("bob");
  auto alice_socket = connect(alice);
  auto bob_socket = connect(bob);
  subscribe(*alice_socket, "s", kStatusSubscription);
  subscribe(*bob_socket, "s", kStatusSubscription);

  const auto alice_order = create_order(alice);
  const auto bob_order = create_order(bob);
  for (const auto& order : {alice_order, bob_order})
    charge_and_await_paid(order);
  for (const auto& order : {alice_order, bob_order})
    ship(order);

  const auto shipped = [](const std::string& order) {
    return [order](const std::vector<json>& messages) {
      return has(statuses(messages), order + ":shipped");
    };
  };
  const auto alice_messages = receive_until(*alice_socket, shipped(alice_order));
  const auto bob_messages = receive_until(*bob_socket, shipped(bob_order));
  EXPECT_EQ(statuses(alice_messages),
            (std::vector<std::string>{alice_order + ":paid", alice_order + ":shipped"}));
  EXPECT_EQ(statuses(bob_messages),
            (std::vector<std::string>{bob_order + ":paid", bob_order + ":shipped"}));
  // The selection is the client's: exactly the fields asked for.
  ASSERT_FALSE(alice_messages.empty());
  const auto& order = alice_messages.front()["payload"]["data"]["orderStatusUpdated"];
  EXPECT_EQ(order.size(), 4u) << order.dump();
  EXPECT_EQ(order["items"], json::array());
  // Nothing of the other user's order arrives later either.
  EXPECT_EQ(alice_socket->receive(300ms), std::nullopt);
  EXPECT_EQ(bob_socket->receive(10ms), std::nullopt);
  EXPECT_FALSE(alice_socket->closed());
}

TEST_F(SubscriptionsTest, OrderIdFilterDeliversThatOrderOnlyAndNeverAnotherUsers) {
  const auto alice = user("alice");
  const auto bob = user("bob");
  const auto watched = create_order(alice);
  const auto other = create_order(alice);
  const auto bobs = create_order(bob);
  auto socket = connect(alice);
  subscribe(*socket, "s", kStatusSubscription, {{"id", watched}});
  // Naming another user's order does not reveal it: row-level security decides.
  subscribe(*socket, "spy", kStatusSubscription, {{"id", bobs}});

  charge(other);
  charge(bobs);
  charge(watched);
  const auto messages = receive_until(*socket, [&](const std::vector<json>& received) {
    return has(statuses(received), watched + ":paid");
  });
  EXPECT_EQ(statuses(messages), std::vector<std::string>{watched + ":paid"});
  EXPECT_TRUE(statuses(messages, "spy").empty());
  EXPECT_EQ(socket->receive(300ms), std::nullopt);
}

TEST_F(SubscriptionsTest, QueriesAndMutationsWorkOverTheSocket) {
  const auto alice = user("alice");
  auto socket = connect(alice);
  const auto identifier = "ws-mut-" + unique_suffix();
  socket->send(subscribe_message(
      "m", "mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id status } }",
      {{"input", {{"identifier", identifier}, {"total", "5.00"}}}}));
  const auto created = socket->receive_json();
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ((*created)["type"], "next") << created->dump();
  EXPECT_EQ((*created)["payload"]["data"]["createOrder"]["status"], "pending");
  EXPECT_EQ(socket->receive_json(), json::parse(R"({"id":"m","type":"complete"})"));

  const std::string id = (*created)["payload"]["data"]["createOrder"]["id"];
  socket->send(
      subscribe_message("q", "query ($id: ID!) { order(id: $id) { identifier } }", {{"id", id}}));
  const auto read = socket->receive_json();
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ((*read)["payload"]["data"]["order"]["identifier"], identifier);
  EXPECT_EQ(socket->receive_json(), json::parse(R"({"id":"q","type":"complete"})"));

  socket->send(subscribe_message("bad", "{ nope }"));
  const auto error = socket->receive_json();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ((*error)["type"], "error");
  EXPECT_EQ((*error)["payload"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
}

TEST_F(SubscriptionsTest, InvalidMessageIs4400) {
  auto socket = connect(user("a"));
  socket->send(std::string("this is not json"));
  EXPECT_EQ(socket->await_close(), 4400);
  auto other = connect(user("b"));
  other->send(json{{"type", "next"}, {"id", "1"}});
  EXPECT_EQ(other->await_close(), 4400);
}

TEST_F(SubscriptionsTest, SubscribeBeforeAckIs4401) {
  WebSocketClient socket(url());
  socket.send(subscribe_message("s", kStatusSubscription));
  EXPECT_EQ(socket.await_close(), 4401);
  EXPECT_EQ(socket.close_reason(), "Unauthorized");
}

TEST_F(SubscriptionsTest, BadTokenIs4403) {
  WebSocketClient socket(url());
  socket.send(connection_init("not-a-token"));
  EXPECT_EQ(socket.await_close(), 4403);
  EXPECT_EQ(socket.close_reason().rfind("Forbidden", 0), 0u) << socket.close_reason();
}

TEST_F(SubscriptionsTest, ExpiredTokenCompletesTheSubscriptionAndCloses4403) {
  ctl::TokenClaims claims;
  claims.subject = user("brief");
  claims.issued_at = std::chrono::system_clock::now();
  claims.ttl = 2s;
  WebSocketClient socket(url());
  socket.send(
      connection_init(ctl::make_hs256_token(StackEnv::current().get("JWT_SECRET"), claims)));
  ASSERT_EQ(socket.receive_json(), json::parse(R"({"type":"connection_ack"})"));
  subscribe(socket, "s", kStatusSubscription);
  EXPECT_EQ(socket.receive_json(5s), json::parse(R"({"id":"s","type":"complete"})"));
  EXPECT_EQ(socket.await_close(), 4403);
  EXPECT_EQ(socket.close_reason(), "Forbidden: token expired");
}

TEST_F(SubscriptionsTest, NoInitInTimeIs4408) {
  WebSocketClient socket(url());
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(socket.await_close(5s), 4408);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 3s) << "WS_INIT_TIMEOUT is 1s here";
}

TEST_F(SubscriptionsTest, DuplicateSubscriptionIdIs4409) {
  auto socket = connect(user("dup"));
  subscribe(*socket, "same", kStatusSubscription);
  socket->send(subscribe_message("same", kStatusSubscription));
  EXPECT_EQ(socket->await_close(), 4409);
  EXPECT_EQ(socket->close_reason(), "Subscriber for same already exists");
}

TEST_F(SubscriptionsTest, RepeatedInitIs4429) {
  const auto name = user("twice");
  auto socket = connect(name);
  socket->send(connection_init(token_for(name)));
  EXPECT_EQ(socket->await_close(), 4429);
}

TEST_F(SubscriptionsTest, SlowReaderIsDisconnectedWhileAFastOneKeepsReceiving) {
  const auto name = user("slow");
  WebSocketClient::Options small;
  small.receive_buffer_bytes = 4096;
  auto slow = connect(name, small);
  auto fast = connect(name);
  // Many heavy subscriptions on the slow socket (aliases repeat the order's events in each
  // message): every update is megabytes there, far more than socket buffers absorb.
  std::string heavy = "subscription { orderStatusUpdated { id status";
  for (int i = 0; i < 30; ++i)
    heavy += " e" + std::to_string(i) + ": events { type recordedAt data }";
  heavy += " } }";
  for (int i = 0; i < 60; ++i)
    slow->send(subscribe_message("h" + std::to_string(i), heavy));
  subscribe(*slow, "last", heavy);
  subscribe(*fast, "s", kStatusSubscription);

  std::vector<std::string> orders;
  for (int i = 0; i < 10; ++i)
    orders.push_back(create_order(name));
  // Updates are heavy only once the orders have events to repeat: an update rendered before the
  // event monitor logged events.order.created would carry empty lists, small enough for the
  // socket buffers to absorb.
  auto db = connect_database();
  for (const auto& order : orders) {
    ASSERT_TRUE(eventually([&] {
      return query_value(*db, "SELECT count(*) FROM tb_event_log WHERE order_id = " +
                                  db->quote(order) + "::uuid") != "0";
    }));
  }
  for (const auto& order : orders)
    charge(order);

  const auto fast_messages = receive_until(*fast, [&](const std::vector<json>& received) {
    return statuses(received).size() == orders.size();
  });
  EXPECT_EQ(statuses(fast_messages).size(), orders.size());
  // The slow reader finally reads: what was in flight, then the reason it was dropped.
  EXPECT_EQ(slow->await_close(10s), 1008);
  EXPECT_EQ(slow->close_reason(), "client reads too slowly");
  EXPECT_FALSE(fast->closed());
}

TEST_F(SubscriptionsTest, SigtermCompletesSubscriptionsAndCloses1001) {
  auto socket = connect(user("stop"));
  subscribe(*socket, "s", kStatusSubscription);
  Harness harness = Harness::for_current_stack();
  auto stopping = std::async(std::launch::async, [&harness] { harness.stop("order-service"); });
  EXPECT_EQ(socket->receive_json(10s), json::parse(R"({"id":"s","type":"complete"})"));
  EXPECT_EQ(socket->await_close(10s), 1001);
  EXPECT_EQ(socket->close_reason(), "Server shutting down");
  stopping.get();
  EXPECT_EQ(harness.last_exit_code("order-service"), 0);
  harness.start("order-service", kOrderServiceEnv);
}

}  // namespace
}  // namespace choreo::testing
