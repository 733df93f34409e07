// The order service's event side against the stack: the observer (a change to tb_order writes
// its event to the outbox in the same transaction; the relay publishes it) and the status
// consumers with their forward-only rule.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "events/event.hpp"
#include "harness.hpp"
#include "polling.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class OrderEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = connect_database();
    bus_ = connect_jetstream("order-events-test");
    Harness harness = Harness::for_current_stack();
    for (const char* service : {"order-service", "event-monitor"}) {
      if (!harness.running(service))
        harness.start(service);
    }
    // These tests move orders by publishing the workers' events themselves; running workers would
    // move the same orders on their own.
    for (const char* worker : {"inventory-worker", "payment-worker", "shipping-worker"}) {
      if (harness.running(worker))
        harness.stop(worker);
    }
  }

  // Creates an order as the API will (fn_create_order) and returns its id.
  std::string create_order(const json& items, const std::string& total = "49.99") {
    pqxx::work tx(*db_);
    const auto row = tx.exec_params1(
        "SELECT status, entity_id::text FROM fn_create_order($1, 'order-events-test', $2::numeric, "
        "$3::jsonb, '1 Main St')",
        "oe-" + unique_suffix(), total, items.dump());
    tx.commit();
    EXPECT_EQ(row[0].as<std::string>(), "created");
    return row[1].as<std::string>();
  }

  std::vector<json> logged(const std::string& order_id, const std::string& subject) {
    return logged_events(*db_, order_id, subject);
  }

  std::string status(const std::string& order_id) {
    return query_value(*db_,
                       "SELECT status FROM tb_order WHERE id = " + db_->quote(order_id) + "::uuid");
  }

  void publish(const std::string& subject, const json& payload) {
    ASSERT_TRUE(bus_->publish({subject, payload.dump(), events::new_event_id()}).stored);
  }

  // Under a payment id of its own (the payment worker's ids are UUIDs).
  void publish_charged(const std::string& order_id) {
    publish("events.payment.charged", {{"order_id", order_id},
                                       {"payment_id", events::new_event_id()},
                                       {"amount", "49.99"},
                                       {"shipping_address", nullptr}});
  }

  void publish_shipped(const std::string& order_id) {
    publish(
        "events.order.shipped",
        {{"order_id", order_id}, {"tracking_number", "TRK-" + order_id}, {"carrier", "SimPost"}});
  }

  // Every event published so far has gone through the durable and been acknowledged.
  void await_consumer_idle(const std::string& durable) {
    ASSERT_TRUE(eventually([&] {
      const auto state = bus_->consumer_state("events", durable);
      return state.num_pending == 0 && state.num_ack_pending == 0;
    }));
  }

  std::unique_ptr<pqxx::connection> db_;
  std::unique_ptr<bus::JetStreamClient> bus_;
};

TEST_F(OrderEventsTest, OrderCreatedCarriesItsItemsAndIsPublishedOnce) {
  const json items = {{{"sku", "widget"}, {"quantity", 2}}, {{"sku", "gizmo"}, {"quantity", 1}}};
  const auto order_id = create_order(items);
  ASSERT_TRUE(eventually([&] { return logged(order_id, "events.order.created").size() == 1; }));
  const auto event = logged(order_id, "events.order.created").front();
  EXPECT_EQ(event["order_id"], order_id);
  EXPECT_EQ(event["total"], "49.99") << "decimals travel as text";
  EXPECT_EQ(event["items"], items) << "written at commit, after the items";
  EXPECT_EQ(event["shipping_address"], "1 Main St");
  EXPECT_EQ(
      query_count(*db_,
                  "SELECT count(*) FROM order_service.tb_outbox WHERE source = 'order-service' "
                  "AND published_at IS NOT NULL AND payload->>'order_id' = " +
                      db_->quote(order_id)),
      1);
}

TEST_F(OrderEventsTest, OrderWithoutItemsStillAnnouncesAnEmptyList) {
  const auto order_id = create_order(json::array(), "0.00");
  ASSERT_TRUE(eventually([&] { return logged(order_id, "events.order.created").size() == 1; }));
  EXPECT_EQ(logged(order_id, "events.order.created").front()["items"], json::array());
}

TEST_F(OrderEventsTest, StatusRisesPaidThenShippedAndALatePaymentIsANoop) {
  const auto order_id = create_order(json::array());
  publish_charged(order_id);
  ASSERT_TRUE(eventually([&] { return status(order_id) == "paid"; }));
  publish_shipped(order_id);
  ASSERT_TRUE(eventually([&] { return status(order_id) == "shipped"; }));
  publish_charged(order_id);
  // The late payment went through the consumer (its delivery is acked) and changed nothing.
  await_consumer_idle("order_status_paid");
  EXPECT_EQ(status(order_id), "shipped");
  ASSERT_TRUE(
      eventually([&] { return logged(order_id, "events.order.status_updated").size() == 2; }));
  const auto updates = logged(order_id, "events.order.status_updated");
  EXPECT_EQ(updates[0]["previous_status"], "pending");
  EXPECT_EQ(updates[0]["status"], "paid");
  EXPECT_EQ(updates[1]["previous_status"], "paid");
  EXPECT_EQ(updates[1]["status"], "shipped");
}

TEST_F(OrderEventsTest, ShippedArrivingBeforePaidWins) {
  const auto order_id = create_order(json::array());
  publish_shipped(order_id);
  ASSERT_TRUE(eventually([&] { return status(order_id) == "shipped"; }));
  publish_charged(order_id);
  await_consumer_idle("order_status_paid");
  EXPECT_EQ(status(order_id), "shipped");
  ASSERT_TRUE(
      eventually([&] { return logged(order_id, "events.order.status_updated").size() == 1; }));
  EXPECT_EQ(logged(order_id, "events.order.status_updated")[0]["previous_status"], "pending");
}

TEST_F(OrderEventsTest, FailureRecordsItsReason) {
  const auto order_id = create_order(json::array());
  publish("events.order.failed",
          {{"order_id", order_id}, {"reason", "inventory_unavailable"}, {"sku", "widget"}});
  ASSERT_TRUE(eventually([&] { return status(order_id) == "failed"; }));
  EXPECT_EQ(query_value(*db_, "SELECT failure_reason FROM tb_order WHERE id = " +
                                  db_->quote(order_id) + "::uuid"),
            "inventory_unavailable");
}

TEST_F(OrderEventsTest, RestartingTheServiceKeepsOneTriggerPerRule) {
  Harness harness = Harness::for_current_stack();
  harness.restart("order-service");
  EXPECT_EQ(query_count(*db_,
                        "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND "
                        "starts_with(tgname::text, 'observe_order_service_')"),
            2);
}

}  // namespace
}  // namespace choreo::testing
