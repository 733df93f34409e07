// Dead letters end to end: a message whose processing fails on every delivery is recorded and
// counted once, listed by `choreoctl dlq list`, and, once its cause is fixed, replayed by
// `choreoctl dlq replay` to exactly one effect: the consumer that gave up processes it, every other
// consumer recognises the event id and does nothing.
#include <regex>

#include "child_process.hpp"
#include "http_client.hpp"
#include "runtime/service_names.hpp"
#include "worker_fixture.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

class DeadLetterTest : public WorkerFixture {
 protected:
  void TearDown() override {
    // A failed assertion must not leave the cause behind for the suites that follow.
    if (!constraint_.empty()) {
      pqxx::work tx(*db_);
      tx.exec("ALTER TABLE shipping_worker.tb_shipping DROP CONSTRAINT IF EXISTS " + constraint_);
      tx.commit();
    }
  }

  ProcessResult choreoctl(const std::vector<std::string>& args,
                          std::vector<std::string> extra_env = {}) {
    const auto& env = StackEnv::current();
    extra_env.push_back("DATABASE_URL=" + env.database_url());
    // Each service's dead letters through its own role, as ./dev dlq runs it.
    for (const auto service : runtime::kServiceNames) {
      const auto variable = runtime::database_url_variable(service);
      extra_env.push_back(variable + "=" + env.get(variable));
    }
    extra_env.push_back("NATS_URL=" + env.nats_url());
    ChildProcess process(choreoctl_binary(), args, extra_env);
    return process.wait(30s);
  }

  // The cause, standing in for a schema bug or a missing grant: the database refuses the
  // shipment of this one order, so its shipping attempt fails on every delivery.
  void refuse_shipments_of(const std::string& order_id) {
    constraint_ = "dlq_test_refuse_" + unique_suffix();
    pqxx::work tx(*db_);
    tx.exec("ALTER TABLE shipping_worker.tb_shipping ADD CONSTRAINT " + constraint_ +
            " CHECK (order_id <> " + tx.quote(order_id) + "::uuid) NOT VALID");
    tx.commit();
  }

  void fix_the_cause() {
    pqxx::work tx(*db_);
    tx.exec("ALTER TABLE shipping_worker.tb_shipping DROP CONSTRAINT " + constraint_);
    tx.commit();
    constraint_.clear();
  }

  // An order paid for whose shipping is dead-lettered; returns (order id, dead letter id as
  // `choreoctl dlq list` shows it: "shipping-worker/<number>", numbered per service).
  std::pair<std::string, std::string> order_with_dead_lettered_shipping() {
    harness_->stop("shipping-worker");
    const auto sku = new_product(5);
    const auto order_id = create_order("dlq-" + unique_suffix(), {line(sku, 2)});
    EXPECT_TRUE(reaches(order_id, "paid")) << "order_status_paid processed payment.charged";
    refuse_shipments_of(order_id);
    harness_->start("shipping-worker");
    const auto charged = charged_event_id(order_id);
    std::string dead_letter;
    EXPECT_TRUE(eventually(
        [&] {
          dead_letter =
              query_value(*db_,
                          "SELECT coalesce((SELECT pk_dead_letter::text FROM "
                          "shipping_worker.tb_dead_letter WHERE consumer = 'shipping_handlers' "
                          "AND event_id = " +
                              db_->quote(charged) + "), '')");
          return !dead_letter.empty();
        },
        30s))
        << "shipping_handlers dead-letters payment.charged after MAX_DELIVER failures";
    return {order_id, dead_letter.empty() ? "" : "shipping-worker/" + dead_letter};
  }

  std::string charged_event_id(const std::string& order_id) {
    return query_value(*db_,
                       "SELECT coalesce((SELECT event_id::text FROM payment_worker.tb_outbox "
                       "WHERE subject = 'events.payment.charged' AND payload->>'order_id' = " +
                           db_->quote(order_id) + "), '')");
  }

  static double metric(const std::string& service_url_key, const std::string& series) {
    const auto reply = http_get(StackEnv::current().get(service_url_key) + "/metrics");
    const auto value = metric_value(reply.body, series);
    return value < 0 ? 0 : value;
  }

  // The number of a "shipping-worker/<number>" dead letter id.
  static std::string number_of(const std::string& id) { return id.substr(id.find('/') + 1); }

  std::string dead_letter_column(const std::string& id, const std::string& column) {
    return query_value(*db_, "SELECT " + column +
                                 "::text FROM shipping_worker.tb_dead_letter WHERE "
                                 "pk_dead_letter = " +
                                 number_of(id));
  }

  std::string constraint_;
};

constexpr const char* kShippingDeadLetters =
    R"(choreo_dead_letters_total{consumer="shipping_handlers"})";
constexpr const char* kPaidProcessed =
    R"(choreo_consumer_events_total{consumer="order_status_paid",outcome="processed"})";

TEST_F(DeadLetterTest, ListedThenReplayedAfterTheFixToExactlyOneEffect) {
  const auto counted_before = metric("SHIPPING_WORKER_URL", kShippingDeadLetters);
  const auto [order_id, id] = order_with_dead_lettered_shipping();
  ASSERT_FALSE(id.empty());
  const auto event_id = charged_event_id(order_id);

  // Recorded once, with its cause, after the allowed deliveries; counted once.
  EXPECT_EQ(dead_letter_column(id, "attempts"), StackEnv::current().get("MAX_DELIVER"));
  EXPECT_NE(dead_letter_column(id, "reason").find(constraint_), std::string::npos)
      << dead_letter_column(id, "reason");
  EXPECT_EQ(dead_letter_column(id, "replayed_at"), "");
  EXPECT_TRUE(eventually([&] {
    return metric("SHIPPING_WORKER_URL", kShippingDeadLetters) == counted_before + 1;
  })) << "choreo_dead_letters_total counts the row";
  await_idle("shipping_handlers");
  EXPECT_EQ(status(order_id), "paid");
  EXPECT_EQ(rows_of("tb_shipping", order_id), 0);

  // Listed, unreplayed, as a table and as JSON.
  const auto listed = choreoctl({"dlq", "list", "--consumer", "shipping_handlers"});
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_TRUE(std::regex_search(listed.output, std::regex("(^|\\n)" + id +
                                                          " +shipping_handlers +"
                                                          "events\\.payment\\.charged +" +
                                                          event_id + " ")))
      << listed.output;
  const auto as_json = choreoctl({"dlq", "list", "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.output;
  EXPECT_NE(as_json.output.find("\"event_id\": \"" + event_id + "\""), std::string::npos);
  EXPECT_NE(as_json.output.find("\"id\": \"" + id + "\""), std::string::npos)
      << "ids are SERVICE/NUMBER";

  // Fixed, then replayed: only the consumer that gave up acts on it.
  fix_the_cause();
  const auto paid_processed_before = metric("ORDER_SERVICE_URL", kPaidProcessed);
  const auto replayed = choreoctl({"dlq", "replay", id});
  ASSERT_EQ(replayed.exit_code, 0) << replayed.output;
  ASSERT_TRUE(reaches(order_id, "shipped")) << replayed.output;
  await_idle("shipping_handlers");
  await_idle("order_status_paid");
  await_idle("event_monitoring");

  EXPECT_EQ(rows_of("tb_shipping", order_id), 1);
  EXPECT_EQ(rows_of("tb_payment", order_id), 1);
  EXPECT_NE(dead_letter_column(id, "replayed_at"), "");
  EXPECT_EQ(announced(order_id, "events.order.shipped"), 1);
  EXPECT_TRUE(eventually([&] { return logged(order_id, "events.order.shipped").size() == 1; }));
  EXPECT_EQ(logged(order_id, "events.payment.charged").size(), 1U)
      << "the event monitor recognised the replay's event id";
  EXPECT_EQ(query_count(*db_,
                        "SELECT count(*) - count(DISTINCT identifier) FROM tb_event_log "
                        "WHERE order_id = " +
                            db_->quote(order_id) + "::uuid"),
            0);
  // order_status_paid keeps no inbox: the replay reached it and, the order being paid already,
  // raised nothing.
  EXPECT_EQ(metric("ORDER_SERVICE_URL", kPaidProcessed), paid_processed_before + 1)
      << "order_status_paid received the replay";
  ASSERT_TRUE(
      eventually([&] { return logged(order_id, "events.order.status_updated").size() >= 2; }));
  const auto updates = logged(order_id, "events.order.status_updated");
  ASSERT_EQ(updates.size(), 2U) << "paid once, then shipped: the replay changed no status";
  EXPECT_EQ(updates[0]["status"], "paid");
  EXPECT_EQ(updates[1]["status"], "shipped");
  EXPECT_EQ(metric("SHIPPING_WORKER_URL", kShippingDeadLetters), counted_before + 1);

  // The replay in the stream: a new message id, the original event id.
  std::smatch sequence;
  ASSERT_TRUE(std::regex_search(replayed.output, sequence, std::regex("stream message ([0-9]+)")))
      << replayed.output;
  const auto stored = bus_->get_message("events", std::stoull(sequence[1].str()));
  EXPECT_EQ(stored.subject, "events.payment.charged");
  EXPECT_EQ(stored.headers.at("Nats-Msg-Id"), "replay-shipping-worker-" + number_of(id) + "-1");
  EXPECT_EQ(stored.headers.at("Choreo-Event-Id"), event_id);

  // A second replay needs --force; listed only with --all.
  const auto again = choreoctl({"dlq", "replay", id});
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
  const auto unreplayed = choreoctl({"dlq", "list", "--consumer", "shipping_handlers"});
  EXPECT_FALSE(std::regex_search(unreplayed.output, std::regex("(^|\\n)" + id + " ")))
      << unreplayed.output;
  const auto all = choreoctl({"dlq", "list", "--all", "--consumer", "shipping_handlers"});
  EXPECT_TRUE(std::regex_search(all.output, std::regex("(^|\\n)" + id + " "))) << all.output;
}

TEST_F(DeadLetterTest, AReplayInterruptedBeforeItIsMarkedIsSafeToRunAgain) {
  const auto [order_id, id] = order_with_dead_lettered_shipping();
  ASSERT_FALSE(id.empty());
  fix_the_cause();

  // choreoctl dies after the publish, before marking the row: the replay happened but the row
  // still says it did not.
  const auto interrupted =
      choreoctl({"dlq", "replay", id}, {"FAULT_POINT=after_replay_publish_before_mark"});
  EXPECT_EQ(interrupted.exit_code, 86) << interrupted.output;
  ASSERT_TRUE(reaches(order_id, "shipped"));
  EXPECT_EQ(dead_letter_column(id, "replayed_at"), "");

  // Running it again publishes under the same message id: the stream drops the repeat.
  const auto retried = choreoctl({"dlq", "replay", id});
  ASSERT_EQ(retried.exit_code, 0) << retried.output;
  EXPECT_NE(retried.output.find("already had it"), std::string::npos) << retried.output;
  EXPECT_NE(dead_letter_column(id, "replayed_at"), "");
  EXPECT_EQ(dead_letter_column(id, "replays"), "1");
  await_idle("shipping_handlers");
  EXPECT_EQ(rows_of("tb_shipping", order_id), 1);
  EXPECT_EQ(announced(order_id, "events.order.shipped"), 1);
}

}  // namespace
}  // namespace choreo::testing
