// Subscriptions under load: 1,000 WebSockets on one order-service process (10 users x 100
// sockets, each subscribed to all of its user's orders) and a burst of 100 orders that each go
// paid, then shipped. Every subscriber must get exactly the 20 updates of its own user's orders.
// The test prints what the load costs: the service's resident memory per connection and the
// delivery latency from the status change's commit to its arrival at the client.
//
// As in subscriptions_test.cpp, the workers are stopped and the test publishes their events
// itself: with the real ones the shipment can overtake the payment, and "paid" never happens.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <sstream>

#include "bus/jetstream.hpp"
#include "events/event.hpp"
#include "graphql_client.hpp"
#include "harness.hpp"
#include "polling.hpp"
#include "runtime/file_descriptor_limit.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"
#include "websocket_client.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = WebSocketFleet::Clock;

constexpr std::size_t kUsers = 10;
constexpr std::size_t kSocketsPerUser = 100;
constexpr std::size_t kSockets = kUsers * kSocketsPerUser;
constexpr std::size_t kOrdersPerUser = 10;
constexpr std::size_t kOrders = kUsers * kOrdersPerUser;
// Each socket sees the two updates (paid, shipped) of each of its user's orders.
constexpr std::size_t kUpdatesPerSocket = 2 * kOrdersPerUser;

const char* kSubscription = "subscription { orderStatusUpdated { id status } }";

// The order service's PID, as the stack harness knows it.
int order_service_pid() {
  const std::string command = std::string("'") + CHOREO_SOURCE_DIR + "/dev' stack --dir '" +
                              StackEnv::current().stack_dir() + "' pid order-service";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe)
    return -1;
  std::array<char, 64> line{};
  if (std::fgets(line.data(), line.size(), pipe.get()) == nullptr)
    return -1;
  return std::atoi(line.data());
}

// VmRSS of a process in KiB (-1 when unreadable).
long resident_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  }
  return -1;
}

// What one socket received, filled on the fleet's I/O threads.
struct SocketLog {
  std::mutex mutex;
  bool acknowledged = false;
  bool subscribed = false;  // the pong after the subscribe: the hub has registered it
  std::vector<std::pair<std::string, Clock::time_point>> updates;  // "order:status", arrival
  std::vector<std::string> unexpected;
};

// "order:status" -> when the database committed it (tb_order.updated_at, in microseconds).
std::map<std::string, Clock::time_point> commit_times(pqxx::connection& db,
                                                      const std::vector<std::string>& orders,
                                                      const std::string& status) {
  std::string ids;
  for (const auto& order : orders)
    ids += (ids.empty() ? "" : ",") + db.quote(order);
  pqxx::work read(db);
  const auto rows = read.exec(
      "SELECT id::text, (extract(epoch FROM updated_at) * 1000000)::bigint FROM tb_order"
      " WHERE status = " +
      read.quote(status) + " AND id::text IN (" + ids + ")");
  std::map<std::string, Clock::time_point> times;
  for (const auto& row : rows) {
    times[row[0].as<std::string>() + ":" + status] =
        Clock::time_point(std::chrono::microseconds(row[1].as<long long>()));
  }
  return times;
}

double percentile_ms(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty())
    return 0;
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

class SubscriptionsLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A thousand client sockets in this process too.
    const auto limit = runtime::raise_file_descriptor_limit();
    ASSERT_TRUE(limit.has_value());
    ASSERT_TRUE(runtime::fits_connections(*limit, kSockets))
        << "this test needs " << kSockets << " sockets; the open-file limit is " << limit->soft;

    // A fresh order service: the memory a thousand connections take shows in its RSS only when
    // no earlier test's connections left freed heap behind for them to reuse.
    Harness harness = Harness::for_current_stack();
    if (harness.running("order-service")) {
      harness.restart("order-service");
    } else {
      harness.start("order-service");
    }
    for (const char* worker : {"inventory-worker", "payment-worker", "shipping-worker"}) {
      if (harness.running(worker))
        harness.stop(worker);
    }
    bus_ = connect_jetstream("subscriptions-load-test");
  }

  // Publishes one event per order (all at once) and checks the stream stored each.
  void publish_all(const std::vector<bus::OutgoingMessage>& messages) {
    const auto outcomes = bus_->publish_batch(messages, 10s);
    for (const auto& outcome : outcomes)
      ASSERT_TRUE(outcome.stored) << outcome.error;
  }

  std::unique_ptr<bus::JetStreamClient> bus_;
};

TEST_F(SubscriptionsLoadTest, AThousandSubscribersGetEveryUpdateOfAHundredOrderBurst) {
  const auto test_begin = std::chrono::steady_clock::now();
  const int pid = order_service_pid();
  ASSERT_GT(pid, 0) << "no PID for order-service from the stack harness";
  auto db = connect_database();

  std::vector<std::string> users;
  std::vector<std::string> tokens;
  for (std::size_t u = 0; u < kUsers; ++u) {
    users.push_back("ws-load-" + std::to_string(u) + "-" + unique_suffix());
    tokens.push_back(token_for(users.back()));
  }
  const auto user_of = [](std::size_t socket) { return socket / kSocketsPerUser; };

  std::vector<SocketLog> logs(kSockets);
  std::atomic<std::size_t> subscribed{0};
  std::atomic<std::size_t> delivered{0};
  WebSocketFleet* fleet_pointer = nullptr;
  const std::string subscribe = subscribe_message("s", kSubscription).dump();
  const std::string ping = json{{"type", "ping"}}.dump();
  WebSocketFleet::Options options;
  options.threads = 2;
  WebSocketFleet fleet(
      StackEnv::current().get("GRAPHQL_URL"), options,
      [&](std::size_t socket, std::string text, Clock::time_point received) {
        const auto message = json::parse(text);
        const auto type = message.value("type", "");
        auto& log = logs[socket];
        std::unique_lock lock(log.mutex);
        if (type == "next" && message.value("id", "") == "s" && log.subscribed) {
          const auto& order = message["payload"]["data"]["orderStatusUpdated"];
          log.updates.emplace_back(
              order["id"].get<std::string>() + ":" + order["status"].get<std::string>(), received);
          ++delivered;
        } else if (type == "connection_ack" && !log.acknowledged) {
          log.acknowledged = true;
          lock.unlock();
          fleet_pointer->send(socket, subscribe);
          fleet_pointer->send(socket, ping);
        } else if (type == "pong" && log.acknowledged && !log.subscribed) {
          log.subscribed = true;
          ++subscribed;
        } else {
          log.unexpected.push_back(std::move(text));
        }
      });
  fleet_pointer = &fleet;

  const long rss_before = resident_kib(pid);
  const auto connect_begin = std::chrono::steady_clock::now();
  const auto opened = fleet.open(
      kSockets, [&](std::size_t socket) { return connection_init(tokens[user_of(socket)]).dump(); },
      30s);
  const auto first_failures = [&fleet] {
    std::string text;
    const auto failures = fleet.failures();
    for (std::size_t i = 0; i < std::min<std::size_t>(failures.size(), 5); ++i)
      text += "\n  " + failures[i];
    return text + (failures.size() > 5 ? "\n  ..." : "");
  };
  ASSERT_EQ(opened, kSockets) << first_failures();
  ASSERT_TRUE(eventually([&] { return subscribed == kSockets; }, 30s))
      << subscribed << " of " << kSockets << " subscribed" << first_failures();
  const auto connect_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - connect_begin).count();
  const long rss_subscribed = resident_kib(pid);

  // The burst's orders, ten per user, created through the API.
  std::vector<std::string> orders;
  std::map<std::string, std::size_t> owner;
  for (std::size_t i = 0; i < kOrders; ++i) {
    const std::size_t u = i % kUsers;
    const auto reply = graphql(
        "mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
        {{"input", {{"identifier", "ws-load-" + unique_suffix()}, {"total", "12.50"}}}}, tokens[u]);
    ASSERT_EQ(reply.status, 200) << reply.raw;
    ASSERT_FALSE(reply.body.contains("errors")) << reply.raw;
    orders.push_back(reply.body["data"]["createOrder"]["id"]);
    owner[orders.back()] = u;
  }

  // When each status change reached NATS, as another subscriber of the subject sees it: splits
  // the latency into the way to the bus (consumer commit, outbox relay) and the fan-out.
  std::mutex published_mutex;
  std::map<std::string, Clock::time_point> published;
  auto feed = bus_->subscribe("events.order.status_updated", [&](const bus::CoreMessage& message) {
    const auto now = Clock::now();
    const auto event = json::parse(message.data, nullptr, false);
    if (!event.is_object() || !event.contains("order_id") || !event.contains("status"))
      return;
    std::lock_guard lock(published_mutex);
    published.emplace(
        event["order_id"].get<std::string>() + ":" + event["status"].get<std::string>(), now);
  });

  // Paid, all at once; then shipped once every paid update is in (a shipment published together
  // with its payment may be applied first, and then the order is never "paid").
  const auto burst_begin = std::chrono::steady_clock::now();
  std::vector<bus::OutgoingMessage> charges;
  for (const auto& order : orders) {
    charges.push_back({"events.payment.charged",
                       json{{"order_id", order},
                            {"payment_id", events::new_event_id()},
                            {"amount", "12.50"},
                            {"shipping_address", nullptr}}
                           .dump(),
                       events::new_event_id()});
  }
  publish_all(charges);
  const std::size_t half = kSockets * kUpdatesPerSocket / 2;
  ASSERT_TRUE(eventually([&] { return delivered >= half; }, 30s))
      << delivered << " of " << half << " paid updates delivered" << first_failures();
  auto commits = commit_times(*db, orders, "paid");
  ASSERT_EQ(commits.size(), kOrders);

  std::vector<bus::OutgoingMessage> shipments;
  for (const auto& order : orders) {
    shipments.push_back({"events.order.shipped",
                         json{{"order_id", order},
                              {"tracking_number", "TRK-" + unique_suffix()},
                              {"carrier", "SimPost"}}
                             .dump(),
                         events::new_event_id()});
  }
  publish_all(shipments);
  ASSERT_TRUE(eventually([&] { return delivered >= 2 * half; }, 30s))
      << delivered << " of " << 2 * half << " updates delivered" << first_failures();
  const auto burst_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - burst_begin).count();
  commits.merge(commit_times(*db, orders, "shipped"));
  ASSERT_EQ(commits.size(), 2 * kOrders);
  const long rss_after = resident_kib(pid);
  feed.reset();

  // Nothing more trickles in (a duplicate, another user's order), and nobody was dropped.
  ASSERT_TRUE(eventually([&] { return fleet.open_count() == kSockets; }, 1s)) << first_failures();
  EXPECT_TRUE(fleet.failures().empty()) << first_failures();

  std::vector<double> latencies_ms;
  latencies_ms.reserve(2 * half);
  std::vector<double> fan_out_ms;
  fan_out_ms.reserve(2 * half);
  std::size_t wrong_sockets = 0;
  for (std::size_t socket = 0; socket < kSockets; ++socket) {
    auto& log = logs[socket];
    std::lock_guard lock(log.mutex);
    std::multiset<std::string> got;
    for (const auto& [update, received] : log.updates) {
      got.insert(update);
      const auto commit = commits.find(update);
      if (commit != commits.end()) {
        latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(received - commit->second).count());
      }
      const auto on_bus = published.find(update);
      if (on_bus != published.end()) {
        fan_out_ms.push_back(
            std::chrono::duration<double, std::milli>(received - on_bus->second).count());
      }
    }
    std::multiset<std::string> expected;
    for (const auto& order : orders) {
      if (owner[order] == user_of(socket)) {
        expected.insert(order + ":paid");
        expected.insert(order + ":shipped");
      }
    }
    if (got != expected || !log.unexpected.empty()) {
      if (++wrong_sockets <= 3) {
        ADD_FAILURE() << "socket " << socket << " (user " << user_of(socket) << ") got "
                      << got.size() << " updates, expected " << expected.size()
                      << (log.unexpected.empty() ? "" : "; unexpected: " + log.unexpected.front());
      }
    }
  }
  EXPECT_EQ(wrong_sockets, 0u);

  std::sort(latencies_ms.begin(), latencies_ms.end());
  std::sort(fan_out_ms.begin(), fan_out_ms.end());
  const double per_connection_kib =
      static_cast<double>(rss_subscribed - rss_before) / static_cast<double>(kSockets);
  const double test_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - test_begin).count();
  std::ostringstream report;
  report.setf(std::ios::fixed);
  report.precision(1);
  report << "[subscriptions load] " << kSockets << " sockets (" << kUsers << " users x "
         << kSocketsPerUser << "), " << kOrders << " orders, " << latencies_ms.size()
         << " updates delivered\n"
         << "[subscriptions load] order-service VmRSS: " << rss_before << " KiB before, "
         << rss_subscribed << " KiB with " << kSockets << " subscribed (" << per_connection_kib
         << " KiB per connection), " << rss_after << " KiB after the burst\n"
         << "[subscriptions load] latency from commit (tb_order.updated_at) to arrival: p50 "
         << percentile_ms(latencies_ms, 0.50) << " ms, p99 " << percentile_ms(latencies_ms, 0.99)
         << " ms, max " << (latencies_ms.empty() ? 0.0 : latencies_ms.back()) << " ms\n"
         << "[subscriptions load] of which from its publication on NATS to arrival: p50 "
         << percentile_ms(fan_out_ms, 0.50) << " ms, p99 " << percentile_ms(fan_out_ms, 0.99)
         << " ms, max " << (fan_out_ms.empty() ? 0.0 : fan_out_ms.back()) << " ms ("
         << fan_out_ms.size() << " timed)\n"
         << "[subscriptions load] connect+subscribe " << connect_seconds << " s, burst "
         << burst_seconds << " s, whole test " << test_seconds << " s\n";
  std::cout << report.str() << std::flush;
  RecordProperty("sockets", static_cast<int>(kSockets));
  RecordProperty("rss_before_kib", static_cast<int>(rss_before));
  RecordProperty("rss_subscribed_kib", static_cast<int>(rss_subscribed));
  RecordProperty("rss_after_burst_kib", static_cast<int>(rss_after));
  RecordProperty("rss_per_connection_bytes", static_cast<int>(per_connection_kib * 1024));
  RecordProperty("latency_p50_us", static_cast<int>(percentile_ms(latencies_ms, 0.50) * 1000));
  RecordProperty("latency_p99_us", static_cast<int>(percentile_ms(latencies_ms, 0.99) * 1000));
  RecordProperty("latency_max_us",
                 static_cast<int>((latencies_ms.empty() ? 0.0 : latencies_ms.back()) * 1000));

  EXPECT_EQ(fleet.close_all(5s), kSockets)
      << fleet.open_count() << " still open" << first_failures();
}

}  // namespace
}  // namespace choreo::testing
