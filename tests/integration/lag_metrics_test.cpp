// Lag and backlog on /metrics: each consumer's event age at handling, its durable's state as
// JetStream reports it, and each outbox's backlog, against the test stack.
#include <thread>

#include "http_client.hpp"
#include "polling.hpp"
#include "stack_env.hpp"
#include "worker_fixture.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

double metric(const char* url_variable, const std::string& series) {
  return metric_value(http_get(StackEnv::current().get(url_variable) + "/metrics").body, series);
}

std::string of_consumer(const std::string& name, const std::string& durable) {
  return name + "{consumer=\"" + durable + "\"}";
}

class LagMetricsTest : public WorkerFixture {};

TEST_F(LagMetricsTest, EveryHandledEventsAgeIsObservedFromTheStreamsStoreTime) {
  const auto count = of_consumer("choreo_consumer_event_age_seconds_count", "payment_processors");
  const auto sum = of_consumer("choreo_consumer_event_age_seconds_sum", "payment_processors");
  const auto count_before = metric("PAYMENT_WORKER_URL", count);
  const auto sum_before = metric("PAYMENT_WORKER_URL", sum);
  ASSERT_GE(count_before, 0) << "no " << count << " series";

  const auto sku = new_product(5);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(reaches(create_order("lag-" + unique_suffix(), {line(sku, 1)}), "shipped"));
  }
  // One observation per acknowledged event: the three events.inventory.reserved at least.
  ASSERT_TRUE(eventually([&] { return metric("PAYMENT_WORKER_URL", count) >= count_before + 3; }));
  const auto observed = metric("PAYMENT_WORKER_URL", count) - count_before;
  const auto age = (metric("PAYMENT_WORKER_URL", sum) - sum_before) / observed;
  EXPECT_GT(age, 0) << "an event cannot be handled before the stream stored it";
  EXPECT_LT(age, 60) << "the orders shipped within the test; their events were not a minute old";
}

TEST_F(LagMetricsTest, AStoppedWorkersBacklogShowsWhenItStartsAndItsEventsCarryTheirWait) {
  const auto pending = of_consumer("choreo_consumer_pending_messages", "shipping_handlers");
  const auto sum = of_consumer("choreo_consumer_event_age_seconds_sum", "shipping_handlers");
  const auto count = of_consumer("choreo_consumer_event_age_seconds_count", "shipping_handlers");
  harness_->stop("shipping-worker");
  const auto sku = new_product(5);
  const auto order_id = create_order("lag-stopped-" + unique_suffix(), {line(sku, 1)});
  ASSERT_TRUE(reaches(order_id, "paid"));
  // events.payment.charged waits in the stream for the stopped worker's durable.
  ASSERT_TRUE(eventually(
      [&] { return bus_->consumer_state("events", "shipping_handlers").num_pending >= 1; }));
  // The event is to wait a second at least: the wait itself is what the histogram must show.
  std::this_thread::sleep_for(1s);
  harness_->start("shipping-worker");

  // The first refresh comes before the first fetch: the backlog shows, then drains.
  EXPECT_TRUE(eventually([&] { return metric("SHIPPING_WORKER_URL", pending) >= 1; }, 4s))
      << "the restarted worker's durable showed no backlog";
  ASSERT_TRUE(reaches(order_id, "shipped"));
  EXPECT_TRUE(eventually([&] { return metric("SHIPPING_WORKER_URL", pending) == 0; }, 20s));
  // The process restarted, so its series started again from zero: the waited event is among
  // what it handled since, with at least the second it waited.
  ASSERT_TRUE(eventually([&] { return metric("SHIPPING_WORKER_URL", count) >= 1; }));
  EXPECT_GE(metric("SHIPPING_WORKER_URL", sum), 1.0);
}

TEST_F(LagMetricsTest, AnIdleDurablesStateReadsZeroAndItsOutboxHasNoBacklog) {
  const auto sku = new_product(5);
  ASSERT_TRUE(reaches(create_order("lag-idle-" + unique_suffix(), {line(sku, 1)}), "shipped"));
  await_workers_idle();
  // The gauges are refreshed every few seconds: once idle, every one of them comes to 0.
  for (const auto& [url, durable] : {std::pair{"INVENTORY_WORKER_URL", "inventory_processors"},
                                     std::pair{"PAYMENT_WORKER_URL", "payment_processors"},
                                     std::pair{"SHIPPING_WORKER_URL", "shipping_handlers"}}) {
    for (const char* gauge :
         {"choreo_consumer_pending_messages", "choreo_consumer_ack_pending_messages",
          "choreo_consumer_redelivered_messages"}) {
      const auto series = of_consumer(gauge, durable);
      ASSERT_GE(metric(url, series), 0) << "no " << series << " series";
      EXPECT_TRUE(eventually([&] { return metric(url, series) == 0; }, 20s)) << series;
    }
  }
  // Each outbox published: nothing waits, nothing is old.
  for (const auto& [url, source] : {std::pair{"ORDER_SERVICE_URL", "order-service"},
                                    std::pair{"INVENTORY_WORKER_URL", "inventory-worker"},
                                    std::pair{"PAYMENT_WORKER_URL", "payment-worker"},
                                    std::pair{"SHIPPING_WORKER_URL", "shipping-worker"}}) {
    const std::string backlog =
        "choreo_outbox_backlog_messages{source=\"" + std::string(source) + "\"}";
    const std::string oldest =
        "choreo_outbox_oldest_unpublished_age_seconds{source=\"" + std::string(source) + "\"}";
    ASSERT_GE(metric(url, backlog), 0) << "no " << backlog << " series";
    EXPECT_TRUE(
        eventually([&] { return metric(url, backlog) == 0 && metric(url, oldest) == 0; }, 20s))
        << source;
  }
}

}  // namespace
}  // namespace choreo::testing
