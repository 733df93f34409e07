#pragma once
// What the worker suites share: the whole choreography running on the test stack, and the
// queries and event helpers that look at it from outside (the database and JetStream).

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "events/event.hpp"
#include "harness.hpp"
#include "polling.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"

namespace choreo::testing {

inline constexpr const char* kWorkers[] = {"inventory-worker", "payment-worker", "shipping-worker"};
// The workers' durables (docs/events.md).
inline constexpr const char* kWorkerDurables[] = {"inventory_processors", "compensation_handlers",
                                                  "payment_processors", "shipping_handlers"};

class WorkerFixture : public ::testing::Test {
 protected:
  using json = nlohmann::json;

  void SetUp() override {
    db_ = connect_database();
    bus_ = connect_jetstream("workers-test");
    harness_ = std::make_unique<Harness>(Harness::for_current_stack());
    for (const char* service : {"order-service", "inventory-worker", "payment-worker",
                                "shipping-worker", "event-monitor"}) {
      if (!harness_->running(service))
        harness_->start(service);
    }
    // Other suites stop the workers and publish their events by hand; what they left behind is
    // settled first, so a test's "first commit" or "first batch" is its own.
    await_workers_idle();
  }

  // A product of its own with `quantity` units, so a test's stock counts are its own; its SKU.
  // The order service's catalogue and the inventory worker's stock both know it by the SKU.
  std::string new_product(int quantity) {
    const auto sku = "wt-sku-" + unique_suffix();
    pqxx::work tx(*db_);
    tx.exec_params(
        "INSERT INTO order_service.tb_product (identifier, name, price) VALUES ($1, $1, 1.00)",
        sku);
    tx.exec_params("INSERT INTO inventory_worker.tb_inventory (sku, quantity) VALUES ($1, $2)", sku,
                   quantity);
    tx.commit();
    return sku;
  }

  // Places an order the way the API does (fn_create_order); the order service's observer then
  // publishes its events.order.created. Returns the order's id.
  std::string create_order(const std::string& identifier, const std::vector<json>& items,
                           const std::string& total = "1.00") {
    pqxx::work tx(*db_);
    const auto row = tx.exec_params1(
        "SELECT status, entity_id::text, message FROM fn_create_order($1, 'workers-test', "
        "$2::numeric, $3::jsonb, '1 Test Lane')",
        identifier, total, json(items).dump());
    tx.commit();
    EXPECT_EQ(row[0].as<std::string>(), "created") << row[2].c_str();
    return row[1].as<std::string>();
  }

  static json line(const std::string& sku, int quantity) {
    return {{"sku", sku}, {"quantity", quantity}};
  }

  std::string status(const std::string& order_id) {
    return query_value(*db_,
                       "SELECT status FROM tb_order WHERE id = " + db_->quote(order_id) + "::uuid");
  }

  bool reaches(const std::string& order_id, const std::string& wanted,
               std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return eventually([&] { return status(order_id) == wanted; }, timeout);
  }

  long long reserved(const std::string& sku) {
    return query_count(
        *db_, "SELECT reserved FROM inventory_worker.tb_inventory WHERE sku = " + db_->quote(sku));
  }

  // Rows of one of the workers' tables about the order (tb_reservation, tb_payment,
  // tb_shipping, ...), which know it by its UUID.
  long long rows_of(const std::string& table, const std::string& order_id,
                    const std::string& condition = "true") {
    return query_count(*db_, "SELECT count(*) FROM " + table + " t WHERE t.order_id = " +
                                 db_->quote(order_id) + "::uuid AND " + condition);
  }

  // Events written to any service's outbox for this order on this subject: what the services
  // announced, whether or not it has been published yet.
  long long announced(const std::string& order_id, const std::string& subject) {
    return query_count(*db_, "SELECT count(*) FROM " + runtime::every_service_table("tb_outbox") +
                                 " WHERE payload->>'order_id' = " + db_->quote(order_id) +
                                 " AND subject = " + db_->quote(subject));
  }

  std::vector<json> logged(const std::string& order_id, const std::string& subject) {
    return logged_events(*db_, order_id, subject);
  }

  std::vector<std::string> logged_subjects(const std::string& order_id) {
    pqxx::nontransaction tx(*db_);
    std::vector<std::string> out;
    for (const auto& row : tx.exec_params(
             "SELECT event_type FROM tb_event_log WHERE order_id = $1::uuid ORDER BY stream_seq",
             order_id)) {
      out.push_back(row[0].as<std::string>());
    }
    return out;
  }

  // Publishes under a fresh event id (a new Nats-Msg-Id) and returns the id.
  std::string publish(const std::string& subject, const json& payload) {
    const auto id = events::new_event_id();
    const auto outcome = bus_->publish({subject, payload.dump(), id});
    EXPECT_TRUE(outcome.stored) << outcome.error;
    return id;
  }

  // Everything published so far has been delivered to the durable and settled.
  void await_idle(const std::string& durable,
                  std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    ASSERT_TRUE(eventually(
        [&] {
          const auto state = bus_->consumer_state("events", durable);
          return state.num_pending == 0 && state.num_ack_pending == 0;
        },
        timeout))
        << durable << " still has unsettled messages";
  }

  void await_workers_idle() {
    for (const char* durable : kWorkerDurables)
      await_idle(durable);
  }

  std::unique_ptr<pqxx::connection> db_;
  std::unique_ptr<bus::JetStreamClient> bus_;
  std::unique_ptr<Harness> harness_;
};

}  // namespace choreo::testing
