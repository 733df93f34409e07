// Each service rides out 30 s without PostgreSQL and 30 s without NATS: readiness says 503 while
// the dependency is gone, liveness stays 200, the processes are the same ones afterwards, and the
// orders in flight (or accepted during the outage) still finish.
#include <signal.h>

#include <chrono>
#include <thread>

#include "resilience_fixture.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// How long each dependency stays down: what the issue asks every service to survive.
constexpr auto kOutage = 30s;

class ResilienceTest : public ResilienceFixture {
 protected:
  // A failed assertion mid-outage must not leave the stack without its dependencies for the
  // suites that follow.
  void TearDown() override {
    thaw_shipping();
    for (const char* dependency : {"postgres", "nats"}) {
      if (!harness_->running(dependency))
        harness_->start(dependency);
    }
  }

  // Places `count` orders that are certainly in flight when the outage begins: the shipping
  // worker is frozen (SIGSTOP, same process) until they are paid, and thawed once the dependency
  // is gone, so it meets the outage with their events in hand.
  std::vector<std::string> orders_waiting_for_shipping(const std::string& prefix,
                                                       const std::string& sku, int count) {
    frozen_shipping_ = pid_of("shipping-worker");
    EXPECT_GT(frozen_shipping_, 0);
    ::kill(static_cast<pid_t>(frozen_shipping_), SIGSTOP);
    std::vector<std::string> orders;
    for (int i = 0; i < count; ++i)
      orders.push_back(place_order(prefix + "before-" + std::to_string(i), sku, 1));
    for (const auto& id : orders)
      EXPECT_TRUE(reaches(id, "paid")) << id << " paid, waiting for the frozen shipping worker";
    return orders;
  }

  void thaw_shipping() {
    if (frozen_shipping_ > 0)
      ::kill(static_cast<pid_t>(frozen_shipping_), SIGCONT);
    frozen_shipping_ = 0;
  }

  // Holds the outage until kOutage has passed since `began`, checking every second that every
  // service stays alive (same process, /healthz 200) and not ready.
  void ride_out(Clock::time_point began, const std::map<std::string, long>& pids) {
    int rounds = 0;
    while (Clock::now() - began < kOutage) {
      for (const char* service : kServices) {
        ASSERT_EQ(pid_of(service), pids.at(service)) << service << " was restarted";
        ASSERT_TRUE(harness_->running(service)) << service << " exited during the outage";
        EXPECT_EQ(probe(service, "/healthz"), 200) << service << ": liveness during the outage";
        EXPECT_EQ(probe(service, "/readyz"), 503) << service << ": readiness during the outage";
      }
      ++rounds;
      std::this_thread::sleep_for(1s);
    }
    // At least a handful of rounds spread over the outage; how many fit depends on how loaded
    // the machine is (each round probes every service twice), not on the services.
    EXPECT_GE(rounds, 5);
  }

  void expect_recovered(const std::map<std::string, long>& pids, const std::string& sku,
                        const std::string& prefix) {
    ASSERT_TRUE(eventually([] { return all_ready_status(200); }, 60s))
        << "every service ready again after the outage";
    EXPECT_EQ(service_pids(), pids) << "recovered without a restart";
    const auto after = place_order(prefix + "after", sku, 1);
    EXPECT_TRUE(reaches(after, "shipped", 30s)) << "an order placed after the outage ships";
  }

  long frozen_shipping_ = 0;
};

TEST_F(ResilienceTest, EveryServiceRidesOutThirtySecondsWithoutPostgres) {
  const auto prefix = "rs-pg-" + unique_suffix() + "-";
  const auto sku = new_product(100);
  const auto pids = service_pids();

  // Orders in flight when the database goes away.
  const auto before = orders_waiting_for_shipping(prefix, sku, 5);
  db_.reset();
  harness_->stop("postgres");
  const auto began = Clock::now();
  thaw_shipping();

  ASSERT_TRUE(eventually([] { return all_ready_status(503); }, 20s))
      << "every service reports not ready without its database";
  for (const char* service : kServices)
    EXPECT_EQ(probe(service, "/healthz"), 200) << service;

  // The API refuses clearly and promptly instead of hanging.
  const auto asked = Clock::now();
  const auto refused = api_create_order(prefix + "during", sku, 1);
  const auto answered_in = Clock::now() - asked;
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_TRUE(refused.headers.contains("retry-after")) << "a 503 says when to try again";
  EXPECT_LT(answered_in, 8s);

  ride_out(began, pids);
  harness_->start("postgres");
  db_ = connect_database();

  expect_recovered(pids, sku, prefix);
  for (const auto& id : before)
    EXPECT_TRUE(reaches(id, "shipped", 30s)) << "order " << id << " finished after the outage";
  EXPECT_EQ(
      count("SELECT count(*) FROM tb_order WHERE identifier = " + db_->quote(prefix + "during")), 0)
      << "the refused order was not half-written";
  ASSERT_TRUE(eventually(all_consumers_settled, 30s)) << describe_backlogs();
  expect_invariants(orders_named_like(prefix), sku, 1);
}

TEST_F(ResilienceTest, EveryServiceRidesOutThirtySecondsWithoutNats) {
  const auto prefix = "rs-nats-" + unique_suffix() + "-";
  const auto sku = new_product(100);
  const auto pids = service_pids();

  auto orders = orders_waiting_for_shipping(prefix, sku, 5);
  harness_->stop("nats");
  const auto began = Clock::now();
  thaw_shipping();

  ASSERT_TRUE(eventually([] { return all_ready_status(503); }, 20s))
      << "every service reports not ready without NATS";
  for (const char* service : kServices)
    EXPECT_EQ(probe(service, "/healthz"), 200) << service;

  // The database is there, so the API still takes orders: their events wait in the outbox.
  std::vector<std::string> during;
  for (int i = 0; i < 5; ++i)
    during.push_back(place_order(prefix + "during-" + std::to_string(i), sku, 1));
  for (const auto& id : during) {
    EXPECT_EQ(announced(id, "events.order.created"), 1);
    EXPECT_EQ(
        query_count(*db_,
                    "SELECT count(*) FROM order_service.tb_outbox WHERE published_at IS NULL AND "
                    "payload->>'order_id' = " +
                        db_->quote(id)),
        1)
        << "kept unsent while NATS is down";
  }

  ride_out(began, pids);
  harness_->start("nats");

  expect_recovered(pids, sku, prefix);
  orders.insert(orders.end(), during.begin(), during.end());
  for (const auto& id : orders)
    EXPECT_TRUE(reaches(id, "shipped", 30s)) << "order " << id << " finished after the outage";
  ASSERT_TRUE(eventually(all_consumers_settled, 30s)) << describe_backlogs();
  expect_invariants(orders_named_like(prefix), sku, 1);
}

}  // namespace
}  // namespace choreo::testing
