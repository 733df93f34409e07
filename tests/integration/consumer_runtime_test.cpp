// The consumer runtime in-process against the stack's real PostgreSQL and JetStream: the inbox,
// retries and dead letters, with handlers written for the test.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>

#include "consumer/consumer_runtime.hpp"
#include "consumer/dead_letters.hpp"
#include "events/event.hpp"
#include "events/payloads.hpp"
#include "inbox/inbox.hpp"
#include "polling.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

// Writes one effect row per handled event into a table without any uniqueness, so a double
// effect would show as two rows. The first event it sees can be made slow.
class RecordingHandler final : public consumer::EventHandler {
 public:
  std::chrono::milliseconds first_call_delay{0};
  std::atomic<int> calls{0};

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override {
    if (calls++ == 0)
      std::this_thread::sleep_for(first_call_delay);
    tx.exec_params("INSERT INTO test_consumer_effects (event_id) VALUES ($1)", event.id);
    return consumer::Outcome::done();
  }
};

// Fails every attempt, or declares the event undeliverable, or rejects its payload.
class FailingHandler final : public consumer::EventHandler {
 public:
  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base&) override {
    const auto mode = event.payload.value("mode", "");
    if (mode == "retry")
      return consumer::Outcome::retry("the test says no");
    if (mode == "dead")
      return consumer::Outcome::dead_letter("cannot ever work");
    if (mode == "payload")
      events::decode<events::PaymentFailed>(event.payload);  // throws PayloadError
    return consumer::Outcome::done();
  }
};

// Writes its effect first and only then fails the events marked "fail": the runtime must undo
// that write, and keep every other event's effect exactly once, although a batch first runs all
// its events together in one transaction without savepoints.
class EffectThenFailHandler final : public consumer::EventHandler {
 public:
  std::atomic<int> calls{0};

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override {
    ++calls;
    tx.exec_params("INSERT INTO test_consumer_effects (event_id) VALUES ($1)", event.id);
    if (event.payload.value("mode", "") == "fail")
      return consumer::Outcome::retry("marked to fail after writing");
    return consumer::Outcome::done();
  }
};

class ConsumerRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    suffix_ = unique_suffix();
    subject_ = "events.test.runtime." + suffix_;
    db_ = connect_database();
    {
      pqxx::work tx(*db_);
      tx.exec("CREATE TABLE IF NOT EXISTS test_consumer_effects (event_id text NOT NULL)");
      tx.commit();
    }
    auto statements = inbox::prepared_statements();
    const auto dead = consumer::dead_letter_statements();
    statements.insert(statements.end(), dead.begin(), dead.end());
    pool_ = make_pool(4, statements);
    bus_ = connect_jetstream("consumer-runtime-test");
  }

  consumer::ConsumerRuntimeSettings settings() const {
    consumer::ConsumerRuntimeSettings settings;
    settings.consumer.durable = "runtime_test_" + suffix_;
    settings.consumer.filter_subject = subject_;
    settings.consumer.ack_wait = 1s;
    settings.retry.max_deliver = 3;
    settings.retry.backoff = {100ms, 200ms};
    settings.fetch_wait = 200ms;
    return settings;
  }

  std::unique_ptr<consumer::ConsumerRuntime> runtime(consumer::ConsumerRuntimeSettings s,
                                                     consumer::EventHandler& handler) {
    return std::make_unique<consumer::ConsumerRuntime>(s, *bus_, *pool_, handler, faults_,
                                                       registry_);
  }

  std::string publish(const nlohmann::json& payload) {
    const auto id = events::new_event_id();
    EXPECT_TRUE(bus_->publish({subject_, payload.dump(), id}).stored);
    return id;
  }

  long long effects(const std::string& event_id) {
    return query_count(*db_, "SELECT count(*) FROM test_consumer_effects WHERE event_id = " +
                                 db_->quote(event_id));
  }

  std::string dead_letter(const std::string& event_id, const std::string& column) {
    return query_value(
        *db_, "SELECT coalesce(max(" + column +
                  "::text), '') FROM tb_dead_letter WHERE event_id = " + db_->quote(event_id));
  }

  std::string suffix_, subject_;
  runtime::FaultPoints faults_;
  prometheus::Registry registry_;
  std::unique_ptr<pqxx::connection> db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<bus::JetStreamClient> bus_;
};

TEST_F(ConsumerRuntimeTest, RedeliveryToASecondInstanceIsAbsorbedByTheInbox) {
  // Instance A is slow with its first event: past ACK_WAIT the server redelivers it to instance
  // B while A still holds it. B's inbox claim waits for A's commit, then sees the event done.
  RecordingHandler slow;
  slow.first_call_delay = 2500ms;
  RecordingHandler fast;
  auto a = runtime(settings(), slow);
  auto b = runtime(settings(), fast);
  a->start();
  ASSERT_TRUE(eventually([&] { return a->healthy(); }));
  const auto id = publish({{"n", 1}});
  ASSERT_TRUE(eventually([&] { return slow.calls.load() == 1; }));
  b->start();
  ASSERT_TRUE(eventually([&] { return effects(id) == 1; }));
  ASSERT_TRUE(eventually([&] {
    const auto state = bus_->consumer_state("events", settings().consumer.durable);
    return state.num_ack_pending == 0 && state.num_pending == 0;
  }));
  a->stop();
  b->stop();
  EXPECT_EQ(effects(id), 1) << "the effect happened once";
  EXPECT_EQ(fast.calls.load(), 0) << "the repeat never reached the handler";
  EXPECT_EQ(query_count(*db_, "SELECT count(*) FROM tb_inbox WHERE event_id = " + db_->quote(id)),
            1);
}

TEST_F(ConsumerRuntimeTest, FailuresBackOffThenBecomeDeadLettersAndOthersFlow) {
  FailingHandler handler;
  auto worker = runtime(settings(), handler);
  worker->start();
  const auto retried = publish({{"mode", "retry"}});
  const auto dead = publish({{"mode", "dead"}});
  const auto bad_payload = publish({{"mode", "payload"}});
  const auto fine = publish({{"mode", "fine"}});

  ASSERT_TRUE(eventually([&] { return !dead_letter(retried, "reason").empty(); }, 30s));
  EXPECT_EQ(dead_letter(retried, "attempts"), "3") << "MAX_DELIVER attempts, then a dead letter";
  EXPECT_NE(dead_letter(retried, "reason").find("the test says no"), std::string::npos);
  EXPECT_EQ(dead_letter(dead, "attempts"), "1") << "a dead-letter verdict is immediate";
  EXPECT_EQ(dead_letter(dead, "reason"), "cannot ever work");
  EXPECT_EQ(dead_letter(bad_payload, "attempts"), "1");
  EXPECT_NE(dead_letter(bad_payload, "reason").find("invalid payload"), std::string::npos);
  EXPECT_EQ(dead_letter(fine, "reason"), "");
  EXPECT_EQ(query_count(*db_, "SELECT count(*) FROM tb_inbox WHERE event_id = " + db_->quote(fine)),
            1);
  EXPECT_EQ(
      query_count(*db_, "SELECT count(*) FROM tb_inbox WHERE event_id IN (" + db_->quote(retried) +
                            "," + db_->quote(dead) + "," + db_->quote(bad_payload) + ")"),
      0)
      << "a dead-lettered event is not marked processed, so a replay can still process it";
  ASSERT_TRUE(eventually([&] {
    const auto state = bus_->consumer_state("events", settings().consumer.durable);
    return state.num_ack_pending == 0 && state.num_pending == 0;
  }));
  worker->stop();
}

TEST_F(ConsumerRuntimeTest, OldInboxRowsArePrunedAndRecentOnesKept) {
  const auto durable = settings().consumer.durable;
  {
    pqxx::work tx(*db_);
    tx.exec_params(
        "INSERT INTO tb_inbox (consumer, event_id, processed_at) VALUES ($1, 'old', now() - "
        "interval '8 days'), ($1, 'recent', now() - interval '1 day')",
        durable);
    tx.commit();
  }
  RecordingHandler handler;
  auto worker = runtime(settings(), handler);  // default retention: 7 days
  worker->start();
  const auto rows = [&](const std::string& id) {
    return query_count(*db_, "SELECT count(*) FROM tb_inbox WHERE consumer = " +
                                 db_->quote(durable) + " AND event_id = " + db_->quote(id));
  };
  EXPECT_TRUE(eventually([&] { return rows("old") == 0; }));
  EXPECT_EQ(rows("recent"), 1);
  worker->stop();
}

TEST_F(ConsumerRuntimeTest, ABatchRunsTogetherAndIsolatesOnlyTheEventThatFails) {
  std::vector<std::string> fine;
  for (int i = 0; i < 5; ++i)
    fine.push_back(publish({{"n", i}}));
  {
    EffectThenFailHandler handler;
    auto worker = runtime(settings(), handler);
    worker->start();
    ASSERT_TRUE(eventually([&] { return worker->healthy(); }));
    ASSERT_TRUE(eventually([&] {
      const auto state = bus_->consumer_state("events", settings().consumer.durable);
      return state.num_ack_pending == 0 && state.num_pending == 0;
    }));
    worker->stop();
    EXPECT_EQ(handler.calls.load(), 5) << "a batch without failures runs once";
  }
  for (const auto& id : fine)
    EXPECT_EQ(effects(id), 1) << id;

  std::vector<std::string> neighbours;
  for (int i = 0; i < 3; ++i)
    neighbours.push_back(publish({{"n", i}}));
  const auto failing = publish({{"mode", "fail"}});
  neighbours.push_back(publish({{"n", 3}}));
  EffectThenFailHandler handler;
  auto worker = runtime(settings(), handler);
  worker->start();
  ASSERT_TRUE(eventually([&] { return worker->healthy(); }));
  ASSERT_TRUE(eventually([&] { return !dead_letter(failing, "reason").empty(); }, 30s));
  ASSERT_TRUE(eventually([&] {
    const auto state = bus_->consumer_state("events", settings().consumer.durable);
    return state.num_ack_pending == 0 && state.num_pending == 0;
  }));
  worker->stop();
  for (const auto& id : neighbours)
    EXPECT_EQ(effects(id), 1) << id << ": committed once, although its batch ran twice";
  EXPECT_EQ(effects(failing), 0) << "the failing event's own write was rolled back every time";
  EXPECT_EQ(dead_letter(failing, "attempts"), "3");
  EXPECT_EQ(
      query_count(*db_, "SELECT count(*) FROM tb_inbox WHERE event_id = " + db_->quote(failing)), 0)
      << "nor did its inbox claim stay";
}

}  // namespace
}  // namespace choreo::testing
