// The three workers against the test stack: the choreography from events.order.created to
// shipped or failed, its business outcomes, duplicate facts and poison messages.
#include <algorithm>

#include "http_client.hpp"
#include "worker_fixture.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

class WorkersTest : public WorkerFixture {};

TEST_F(WorkersTest, HappyPathReservesChargesAndShips) {
  const auto sku = new_product(5);
  const auto order_id = create_order("wt-ok-" + unique_suffix(), {line(sku, 2)}, "49.99");
  ASSERT_TRUE(reaches(order_id, "shipped"));
  EXPECT_EQ(reserved(sku), 2);
  EXPECT_EQ(rows_of("tb_reservation", order_id, "t.quantity = 2 AND t.released_at IS NULL"), 1);
  EXPECT_EQ(rows_of("tb_reservation_set", order_id, "t.status = 'reserved'"), 1);
  EXPECT_EQ(rows_of("tb_payment", order_id,
                    "t.status = 'succeeded' AND t.amount = 49.99 AND t.provider_id IS NOT NULL"),
            1);
  EXPECT_EQ(rows_of("tb_shipping", order_id, "t.carrier = 'SimPost'"), 1);

  // The trail, in stream order (status updates interleave; the choreography's own steps do not).
  ASSERT_TRUE(eventually([&] { return logged(order_id, "events.order.shipped").size() == 1; }));
  auto subjects = logged_subjects(order_id);
  std::erase(subjects, "events.order.status_updated");
  EXPECT_EQ(subjects, (std::vector<std::string>{"events.order.created", "events.inventory.reserved",
                                                "events.payment.charged", "events.order.shipped"}));

  const auto reserved_event = logged(order_id, "events.inventory.reserved").at(0);
  EXPECT_EQ(reserved_event["items"], json::array({line(sku, 2)}));
  EXPECT_EQ(reserved_event["total"], "49.99");
  EXPECT_EQ(reserved_event["shipping_address"], "1 Test Lane");
  EXPECT_TRUE(reserved_event["identifier"].get<std::string>().starts_with("wt-ok-"));
  const auto charged = logged(order_id, "events.payment.charged").at(0);
  EXPECT_EQ(charged["amount"], "49.99");
  EXPECT_EQ(charged["shipping_address"], "1 Test Lane");
  EXPECT_EQ(charged["payment_id"],
            query_value(*db_, "SELECT id::text FROM payment_worker.tb_payment WHERE order_id = " +
                                  db_->quote(order_id) + "::uuid"));
  const auto shipped = logged(order_id, "events.order.shipped").at(0);
  EXPECT_EQ(shipped["carrier"], "SimPost");
  EXPECT_EQ(shipped["tracking_number"],
            query_value(
                *db_, "SELECT tracking_number FROM shipping_worker.tb_shipping WHERE order_id = " +
                          db_->quote(order_id) + "::uuid"));
}

TEST_F(WorkersTest, OrderWithoutItemsGoesThroughEveryStep) {
  const auto order_id = create_order("wt-empty-" + unique_suffix(), {});
  ASSERT_TRUE(reaches(order_id, "shipped"));
  ASSERT_TRUE(
      eventually([&] { return logged(order_id, "events.inventory.reserved").size() == 1; }));
  EXPECT_EQ(logged(order_id, "events.inventory.reserved")[0]["items"], json::array());
  EXPECT_EQ(rows_of("tb_reservation", order_id), 0);
}

TEST_F(WorkersTest, OutOfStockFailsAndReservesNothing) {
  const auto plenty = new_product(10);
  const auto scarce = new_product(1);
  const auto order_id =
      create_order("wt-short-" + unique_suffix(), {line(plenty, 2), line(scarce, 2)});
  ASSERT_TRUE(reaches(order_id, "failed"));
  EXPECT_EQ(query_value(*db_, "SELECT failure_reason FROM tb_order WHERE id = " +
                                  db_->quote(order_id) + "::uuid"),
            "inventory_unavailable");
  EXPECT_EQ(reserved(plenty), 0) << "all or nothing: the line that fitted is not held either";
  EXPECT_EQ(reserved(scarce), 0);
  EXPECT_EQ(rows_of("tb_reservation", order_id), 0);
  EXPECT_EQ(rows_of("tb_reservation_set", order_id, "t.status = 'rejected'"), 1);
  ASSERT_TRUE(eventually([&] { return logged(order_id, "events.order.failed").size() == 1; }));
  const auto failed = logged(order_id, "events.order.failed")[0];
  EXPECT_EQ(failed["reason"], "inventory_unavailable");
  EXPECT_EQ(failed["sku"], scarce);
  await_idle("payment_processors");
  EXPECT_EQ(rows_of("tb_payment", order_id), 0) << "no payment without stock";
}

TEST_F(WorkersTest, DeclinedPaymentReleasesTheReservation) {
  const auto sku = new_product(5);
  const auto bad_card = create_order("wt-bad-card-" + unique_suffix(), {line(sku, 2)});
  const auto too_much = create_order("wt-big-" + unique_suffix(), {line(sku, 1)}, "9999.99");
  const auto at_limit = create_order("wt-limit-" + unique_suffix(), {line(sku, 1)}, "5000.00");
  ASSERT_TRUE(reaches(bad_card, "failed"));
  ASSERT_TRUE(reaches(too_much, "failed"));
  ASSERT_TRUE(reaches(at_limit, "shipped")) << "declined only strictly above 5000.00";
  EXPECT_EQ(reserved(sku), 1) << "only the shipped order still holds stock";

  for (const auto& [order_id, units, reason] :
       {std::tuple{bad_card, 2, "card_declined"}, std::tuple{too_much, 1, "amount_above_limit"}}) {
    EXPECT_EQ(query_value(*db_, "SELECT failure_reason FROM tb_order WHERE id = " +
                                    db_->quote(order_id) + "::uuid"),
              "payment_failed");
    EXPECT_EQ(rows_of("tb_payment", order_id, "t.status = 'failed'"), 1);
    EXPECT_EQ(rows_of("tb_reservation", order_id, "t.released_at IS NOT NULL"), 1);
    EXPECT_EQ(rows_of("tb_reservation_set", order_id, "t.status = 'released'"), 1);
    ASSERT_TRUE(eventually([&] { return logged(order_id, "events.order.failed").size() == 1; }));
    EXPECT_EQ(logged(order_id, "events.payment.failed").at(0)["reason"], reason);
    EXPECT_EQ(logged(order_id, "events.inventory.released").at(0)["items"],
              json::array({line(sku, units)}));
    const auto failed = logged(order_id, "events.order.failed")[0];
    EXPECT_EQ(failed["reason"], "payment_failed");
    EXPECT_EQ(failed["compensated"], true);
    EXPECT_EQ(rows_of("tb_shipping", order_id), 0);
  }
}

// The same fact arriving again as a new event (a new Nats-Msg-Id, so the inbox cannot know it):
// each worker's per-order uniqueness must turn it into a no-op.
TEST_F(WorkersTest, DuplicateFactsUnderNewEventIdsChangeNothing) {
  const auto sku = new_product(5);
  const auto shipped = create_order("wt-dup-" + unique_suffix(), {line(sku, 2)});
  const auto failed = create_order("wt-dup-bad-card-" + unique_suffix(), {line(sku, 1)});
  ASSERT_TRUE(reaches(shipped, "shipped"));
  ASSERT_TRUE(reaches(failed, "failed"));
  ASSERT_TRUE(eventually([&] {
    return logged(shipped, "events.order.shipped").size() == 1 &&
           logged(failed, "events.order.failed").size() == 1;
  }));
  await_workers_idle();

  const auto duplicates = [] {
    const auto& env = StackEnv::current();
    double total = 0;
    for (const auto& [url, durable] : {std::pair{"INVENTORY_WORKER_URL", "inventory_processors"},
                                       std::pair{"INVENTORY_WORKER_URL", "compensation_handlers"},
                                       std::pair{"PAYMENT_WORKER_URL", "payment_processors"},
                                       std::pair{"SHIPPING_WORKER_URL", "shipping_handlers"}}) {
      total += metric_value(http_get(env.get(url) + "/metrics").body,
                            std::string("choreo_consumer_events_total{consumer=\"") + durable +
                                "\",outcome=\"duplicate\"}");
    }
    return total;
  };
  const auto duplicates_before = duplicates();

  int republished = 0;
  for (const auto& order_id : {shipped, failed}) {
    for (const char* subject : {"events.order.created", "events.inventory.reserved",
                                "events.payment.charged", "events.payment.failed"}) {
      for (const auto& payload : logged(order_id, subject)) {
        publish(subject, payload);
        ++republished;
      }
    }
  }
  ASSERT_EQ(republished, 6) << "created, reserved, charged; created, reserved, payment.failed";
  await_workers_idle();

  EXPECT_EQ(reserved(sku), 2) << "no second reservation, no second release";
  EXPECT_EQ(rows_of("tb_reservation", shipped), 1);
  EXPECT_EQ(rows_of("tb_reservation", failed, "t.released_at IS NOT NULL"), 1);
  EXPECT_EQ(rows_of("tb_payment", shipped), 1);
  EXPECT_EQ(rows_of("tb_payment", failed), 1);
  EXPECT_EQ(rows_of("tb_shipping", shipped), 1);
  for (const char* subject :
       {"events.inventory.reserved", "events.payment.charged", "events.order.shipped"}) {
    EXPECT_EQ(announced(shipped, subject), 1) << subject;
  }
  for (const char* subject : {"events.inventory.reserved", "events.payment.failed",
                              "events.inventory.released", "events.order.failed"}) {
    EXPECT_EQ(announced(failed, subject), 1) << subject;
  }
  EXPECT_EQ(status(shipped), "shipped");
  EXPECT_EQ(status(failed), "failed");
  EXPECT_GE(duplicates() - duplicates_before, 6.0) << "each republished fact was seen as a repeat";
}

// Each worker acts on what the event carries, so an order only the events know of (none of the
// order service's) goes all the way through the workers, while the order service, which owns
// orders, retries the status changes of an order it never had and then dead-letters them.
// Undecodable messages are dead letters at once; the orders published behind all of them go
// through meanwhile.
TEST_F(WorkersTest, EventsAloneDriveTheWorkersAndPoisonIsDeadLetteredWithoutBlockingOthers) {
  const auto ghost = events::new_event_id();
  const auto ghost_sku = new_product(1);
  publish("events.order.created", {{"order_id", ghost},
                                   {"identifier", "wt-ghost-" + unique_suffix()},
                                   {"total", "1.00"},
                                   {"items", json::array({line(ghost_sku, 1)})},
                                   {"shipping_address", nullptr}});
  const auto malformed = publish("events.order.created", {{"order_id", "not-a-uuid"}});
  const auto bad_payment_id = publish("events.payment.charged", {{"order_id", ghost},
                                                                 {"payment_id", "p"},
                                                                 {"amount", "1.00"},
                                                                 {"shipping_address", nullptr}});

  const auto sku = new_product(5);
  std::vector<std::string> behind;
  for (int i = 0; i < 3; ++i)
    behind.push_back(create_order("wt-behind-" + unique_suffix(), {line(sku, 1)}));

  const auto dead_letter = [&](const std::string& consumer, const std::string& event_id,
                               const std::string& column) {
    return query_value(*db_, "SELECT (SELECT " + column + "::text FROM " +
                                 runtime::every_service_table("tb_dead_letter", "d") +
                                 " WHERE consumer = " + db_->quote(consumer) +
                                 " AND event_id = " + db_->quote(event_id) + ")");
  };
  for (const auto& [consumer, event_id] :
       {std::pair<std::string, std::string>{"inventory_processors", malformed},
        {"shipping_handlers", bad_payment_id}}) {
    ASSERT_TRUE(eventually([&] { return !dead_letter(consumer, event_id, "1").empty(); }, 10s))
        << consumer;
    EXPECT_EQ(dead_letter(consumer, event_id, "attempts"), "1")
        << consumer << ": a payload that can never be valid is not retried";
    EXPECT_NE(dead_letter(consumer, event_id, "reason").find("invalid payload"), std::string::npos)
        << consumer;
  }

  // The ghost: reserved, charged and shipped by the workers from the events alone.
  ASSERT_TRUE(eventually([&] { return rows_of("tb_shipping", ghost) == 1; }, 30s))
      << "the workers handle an order they know only from its events";
  EXPECT_EQ(rows_of("tb_reservation_set", ghost, "t.status = 'reserved'"), 1);
  EXPECT_EQ(rows_of("tb_payment", ghost, "t.status = 'succeeded' AND t.amount = 1.00"), 1);
  EXPECT_EQ(reserved(ghost_sku), 1);
  // The order service has no such order: its status changes end as dead letters after
  // MAX_DELIVER attempts.
  const auto max_deliver = StackEnv::current().get("MAX_DELIVER");
  const auto status_dead_letter = [&](const std::string& consumer, const std::string& column) {
    return query_value(
        *db_,
        "SELECT (SELECT " + column +
            "::text FROM order_service.tb_dead_letter WHERE consumer = " + db_->quote(consumer) +
            " AND convert_from(payload, 'UTF8')::jsonb->>'order_id' = " + db_->quote(ghost) +
            " AND event_id <> " + db_->quote(bad_payment_id) + ")");
  };
  for (const char* consumer : {"order_status_paid", "order_status_shipped"}) {
    ASSERT_TRUE(eventually([&] { return !status_dead_letter(consumer, "1").empty(); }, 30s))
        << consumer << " never dead-lettered the status change of an order it never had";
    EXPECT_EQ(status_dead_letter(consumer, "attempts"), max_deliver) << consumer;
    EXPECT_NE(status_dead_letter(consumer, "reason").find("does not exist"), std::string::npos)
        << consumer;
  }

  for (const auto& order_id : behind)
    EXPECT_TRUE(reaches(order_id, "shipped")) << order_id;
  EXPECT_EQ(reserved(sku), 3);
}

}  // namespace
}  // namespace choreo::testing
