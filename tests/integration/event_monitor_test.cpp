// The event monitor against the real stack: a running event-monitor process, PostgreSQL and
// JetStream, driven through the stack harness.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "events/event.hpp"
#include "harness.hpp"
#include "http_client.hpp"
#include "polling.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kService = "event-monitor";

class EventMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = connect_database();
    bus_ = connect_jetstream("event-monitor-test");
    harness_ = std::make_unique<Harness>(Harness::for_current_stack());
    if (!harness_->running(kService))
      harness_->start(kService);
  }

  long long rows_for(const std::string& event_id) {
    return query_count(
        *db_, "SELECT count(*) FROM tb_event_log WHERE identifier = " + db_->quote(event_id));
  }

  // Publishes an event with a fresh id and returns the id.
  std::string publish(const std::string& subject, const nlohmann::json& payload) {
    const auto id = events::new_event_id();
    const auto outcome = bus_->publish({subject, payload.dump(), id});
    EXPECT_TRUE(outcome.stored) << outcome.error;
    return id;
  }

  // Everything published before this barrier has been consumed once the barrier is recorded:
  // the monitor's consumer reads the stream in order.
  void await_barrier() {
    const auto barrier = publish("events.test.barrier", {{"note", "barrier"}});
    ASSERT_TRUE(eventually([&] { return rows_for(barrier) == 1; })) << "barrier never recorded";
  }

  std::unique_ptr<pqxx::connection> db_;
  std::unique_ptr<bus::JetStreamClient> bus_;
  std::unique_ptr<Harness> harness_;
};

TEST_F(EventMonitorTest, RecordsOneRowPerEventWithItsOrder) {
  const auto identifier = "evmon-" + unique_suffix();
  const auto order_id = insert_order(*db_, identifier);
  const nlohmann::json payload = {{"order_id", order_id},
                                  {"identifier", identifier},
                                  {"total", "10.00"},
                                  {"items", {{{"sku", "widget"}, {"quantity", 1}}}},
                                  {"shipping_address", nullptr}};
  const auto event_id = events::new_event_id();
  const auto first = bus_->publish({"events.order.created", payload.dump(), event_id});
  ASSERT_TRUE(first.stored) << first.error;

  ASSERT_TRUE(eventually([&] { return rows_for(event_id) == 1; }));
  pqxx::nontransaction tx(*db_);
  const auto row = tx.exec_params1(
      "SELECT e.event_type, e.order_id::text, e.data, e.stream_seq, e.recorded_at IS NOT NULL "
      "FROM tb_event_log e WHERE e.identifier = $1",
      event_id);
  EXPECT_EQ(row[0].as<std::string>(), "events.order.created");
  EXPECT_EQ(row[1].as<std::string>(), order_id);
  EXPECT_EQ(nlohmann::json::parse(row[2].as<std::string>()), payload);
  EXPECT_EQ(row[3].as<unsigned long long>(), first.sequence);
  EXPECT_TRUE(row[4].as<bool>());
  tx.commit();

  // The same event published again under the same Nats-Msg-Id: dropped by the stream's duplicate
  // window, and in any case recorded once.
  const auto again = bus_->publish({"events.order.created", payload.dump(), event_id});
  EXPECT_TRUE(again.duplicate);
  await_barrier();
  EXPECT_EQ(rows_for(event_id), 1);
}

TEST_F(EventMonitorTest, EventForAnOrderNoServiceKnowsIsRecordedByItsId) {
  const auto unknown = events::new_event_id();
  const auto id = publish("events.payment.failed", {{"order_id", unknown}, {"reason", "test"}});
  ASSERT_TRUE(eventually([&] { return rows_for(id) == 1; }));
  EXPECT_EQ(query_value(*db_, "SELECT order_id::text FROM tb_event_log WHERE identifier = " +
                                  db_->quote(id)),
            unknown);
}

TEST_F(EventMonitorTest, MalformedMessageBecomesADeadLetterAndTheMonitorKeepsRunning) {
  const auto bad_id = events::new_event_id();
  const std::string garbage = "{\"order_id\": not json at all \xff";
  ASSERT_TRUE(bus_->publish({"events.order.created", garbage, bad_id}).stored);

  const auto where =
      " FROM event_monitor.tb_dead_letter WHERE consumer = 'event_monitoring' AND event_id = " +
      db_->quote(bad_id);
  ASSERT_TRUE(
      eventually([&] { return query_count(*db_, "SELECT count(*)" + std::string(where)) == 1; }));
  EXPECT_NE(query_value(*db_, "SELECT reason" + std::string(where)).find("undecodable"),
            std::string::npos);
  EXPECT_EQ(query_value(*db_, "SELECT attempts" + std::string(where)), "1");
  EXPECT_EQ(query_value(*db_, "SELECT subject" + std::string(where)), "events.order.created");
  EXPECT_EQ(
      query_value(*db_, "SELECT encode(payload, 'hex')" + std::string(where)),
      query_value(*db_, "SELECT encode(" +
                            db_->quote_raw(reinterpret_cast<const unsigned char*>(garbage.data()),
                                           garbage.size()) +
                            "::bytea, 'hex')"))
      << "the raw bytes are kept for replay";
  EXPECT_EQ(rows_for(bad_id), 0);

  // Still consuming, still the same process.
  EXPECT_TRUE(harness_->running(kService));
  await_barrier();
}

TEST_F(EventMonitorTest, PoisonMessageIsDeadLetteredAfterMaxDeliverWithoutBlockingOthers) {
  // Valid JSON that PostgreSQL refuses to store (jsonb has no \u0000): every attempt fails.
  const auto poison_id = events::new_event_id();
  const std::string poison = R"({"order_id":")" + events::new_event_id() + R"(","note":"\u0000"})";
  // A subject only the monitor consumes, so the workers leave no dead letters of their own.
  ASSERT_TRUE(bus_->publish({"events.test.poison", poison, poison_id}).stored);
  std::vector<std::string> behind;
  for (int i = 0; i < 20; ++i)
    behind.push_back(publish("events.test.behind", {{"n", i}}));

  const auto dead =
      "SELECT count(*) FROM event_monitor.tb_dead_letter WHERE consumer = 'event_monitoring' AND "
      "event_id = " +
      db_->quote(poison_id);
  ASSERT_TRUE(eventually([&] { return query_count(*db_, dead) == 1; }, 60s));
  const auto max_deliver = std::stoi(StackEnv::current().get("MAX_DELIVER"));
  EXPECT_EQ(
      query_value(*db_, "SELECT attempts FROM event_monitor.tb_dead_letter WHERE event_id = " +
                            db_->quote(poison_id)),
      std::to_string(max_deliver));
  EXPECT_NE(query_value(*db_, "SELECT reason FROM event_monitor.tb_dead_letter WHERE event_id = " +
                                  db_->quote(poison_id))
                .find("MAX_DELIVER"),
            std::string::npos);
  EXPECT_EQ(rows_for(poison_id), 0);

  // The messages behind it were recorded long before it gave up: it never held them up.
  for (const auto& id : behind)
    EXPECT_EQ(rows_for(id), 1) << id;
  std::string ids = "ARRAY[";
  for (std::size_t i = 0; i < behind.size(); ++i)
    ids += (i ? "," : "") + db_->quote(behind[i]);
  ids += "]";
  EXPECT_EQ(query_value(*db_,
                        "SELECT (SELECT max(recorded_at) FROM tb_event_log WHERE identifier = "
                        "ANY(" +
                            ids +
                            ")) < (SELECT created_at FROM event_monitor.tb_dead_letter WHERE "
                            "event_id = " +
                            db_->quote(poison_id) + ")"),
            "t");
}

TEST_F(EventMonitorTest, SigkillWhileEventsAreInFlightLosesNone) {
  // Most events go out before the kill, as fast as the monitor takes them; the rest only after
  // it, so some are certainly left for the restarted monitor however fast the first run was.
  const int total = 2500;
  const int before_kill = 2000;
  const auto marker = "kill-" + unique_suffix();
  std::vector<bus::OutgoingMessage> messages;
  std::vector<std::string> ids;
  for (int i = 0; i < total; ++i) {
    ids.push_back(events::new_event_id());
    messages.push_back(
        {"events.test.kill", nlohmann::json{{"marker", marker}, {"n", i}}.dump(), ids.back()});
  }
  const auto recorded = [&] {
    return query_count(
        *db_, "SELECT count(*) FROM tb_event_log WHERE data->>'marker' = " + db_->quote(marker));
  };
  const auto publish_range = [&](int from, int to) {
    for (int start = from; start < to; start += 100) {
      std::vector<bus::OutgoingMessage> slice(messages.begin() + start,
                                              messages.begin() + std::min(to, start + 100));
      for (const auto& outcome : bus_->publish_batch(slice, 10s))
        EXPECT_TRUE(outcome.stored);
    }
  };
  std::thread publisher([&] { publish_range(0, before_kill); });
  // Kill the monitor once it has started on them, mid-stream.
  ASSERT_TRUE(eventually([&] { return recorded() > 0; }));
  harness_->kill(kService);
  publisher.join();
  publish_range(before_kill, total);
  const auto before_restart = recorded();
  EXPECT_LT(before_restart, total);

  harness_->start(kService);
  ASSERT_TRUE(eventually([&] { return recorded() == total; }, 60s))
      << "recorded " << recorded() << " of " << total;
  await_barrier();
  EXPECT_EQ(recorded(), total);
  ASSERT_TRUE(eventually([&] {
    const auto state = bus_->consumer_state("events", "event_monitoring");
    return state.num_pending == 0 && state.num_ack_pending == 0;
  }));
}

TEST_F(EventMonitorTest, CrashAfterCommitBeforeAckIsRedeliveredAndRecordedOnce) {
  harness_->stop(kService);
  const int total = 40;
  const auto marker = "fault-" + unique_suffix();
  std::vector<bus::OutgoingMessage> messages;
  for (int i = 0; i < total; ++i) {
    messages.push_back({"events.test.fault", nlohmann::json{{"marker", marker}, {"n", i}}.dump(),
                        events::new_event_id()});
  }
  for (const auto& outcome : bus_->publish_batch(messages, 10s))
    ASSERT_TRUE(outcome.stored);
  const auto recorded = [&] {
    return query_count(
        *db_, "SELECT count(*) FROM tb_event_log WHERE data->>'marker' = " + db_->quote(marker));
  };

  // The monitor commits its first batch and exits before acknowledging any of it.
  harness_->start_no_wait(kService, {{"FAULT_POINT", "after_commit_before_ack"}});
  ASSERT_TRUE(eventually([&] { return !harness_->running(kService); }, 60s));
  EXPECT_EQ(harness_->last_exit_code(kService), 86) << "exit code of FAULT_POINT";
  const auto committed = recorded();
  EXPECT_GT(committed, 0) << "the batch was committed before the crash";

  harness_->start(kService);
  ASSERT_TRUE(eventually([&] { return recorded() == total; }, 60s));
  await_barrier();
  EXPECT_EQ(recorded(), total) << "one row per event despite the redelivery";
  // The committed-but-unacknowledged batch comes back once ACK_WAIT expires; every one of those
  // deliveries must be recognised as a repeat.
  const auto duplicates_seen = [&] {
    const auto metrics = http_get(StackEnv::current().get("EVENT_MONITOR_URL") + "/metrics");
    return metric_value(metrics.body,
                        "choreo_consumer_events_total{consumer=\"event_monitoring\","
                        "outcome=\"duplicate\"}");
  };
  EXPECT_TRUE(eventually([&] { return duplicates_seen() >= static_cast<double>(committed); }, 30s))
      << "the redelivered, already committed events were recognised as repeats";
}

TEST_F(EventMonitorTest, SigtermMidLoadFinishesItsBatchAndExitsZero) {
  const int total = 300;
  const auto marker = "term-" + unique_suffix();
  const auto recorded = [&] {
    return query_count(
        *db_, "SELECT count(*) FROM tb_event_log WHERE data->>'marker' = " + db_->quote(marker));
  };
  std::thread publisher([&] {
    for (int start = 0; start < total; start += 30) {
      std::vector<bus::OutgoingMessage> slice;
      for (int n = start; n < start + 30; ++n) {
        slice.push_back({"events.test.term", nlohmann::json{{"marker", marker}, {"n", n}}.dump(),
                         events::new_event_id()});
      }
      for (const auto& outcome : bus_->publish_batch(slice, 10s))
        EXPECT_TRUE(outcome.stored);
    }
  });
  ASSERT_TRUE(eventually([&] { return recorded() > 0; }));
  harness_->stop(kService);  // SIGTERM, and waits for the exit
  publisher.join();
  EXPECT_EQ(harness_->last_exit_code(kService), 0) << "a graceful stop exits 0";
  // Within less than ACK_WAIT (2 s in the test profile), so no redelivery timer can be the cause.
  EXPECT_TRUE(eventually(
      [&] { return bus_->consumer_state("events", "event_monitoring").num_ack_pending == 0; },
      1500ms))
      << "everything it had fetched was settled before it exited";

  harness_->start(kService);
  ASSERT_TRUE(eventually([&] { return recorded() == total; }, 60s));
  await_barrier();
  EXPECT_EQ(recorded(), total);
}

TEST_F(EventMonitorTest, ServesHealthReadinessAndMetrics) {
  const auto base = StackEnv::current().get("EVENT_MONITOR_URL");
  EXPECT_EQ(http_get(base + "/healthz").status, 200);
  const auto ready = http_get(base + "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_NE(ready.body.find("database"), std::string::npos);
  const auto metrics = http_get(base + "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("choreo_consumer_events_total"), std::string::npos);
}

}  // namespace
}  // namespace choreo::testing
