// The outbox relay against the stack's real PostgreSQL and JetStream, run in-process.
#include <gtest/gtest.h>

#include <prometheus/registry.h>

#include "child_process.hpp"
#include "events/event.hpp"
#include "outbox/outbox_relay.hpp"
#include "polling.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    suffix_ = unique_suffix();
    source_ = "test-" + suffix_;
    subject_ = "events.test.outbox." + suffix_;
    pool_ = make_pool(2);
    db_ = connect_database();
    bus_ = connect_jetstream("outbox-test");
    bus::ConsumerSettings consumer;
    consumer.durable = "outbox_test_" + suffix_;
    consumer.filter_subject = subject_;
    consumer_ = bus_->pull_consumer(consumer);
  }

  outbox::OutboxRelaySettings relay_settings() const {
    outbox::OutboxRelaySettings settings;
    settings.source = source_;
    settings.batch_size = 8;  // several batches for the rows below
    settings.standby_retry = 200ms;
    return settings;
  }

  std::unique_ptr<outbox::OutboxRelay> make_relay(outbox::OutboxRelaySettings settings) {
    return std::make_unique<outbox::OutboxRelay>(settings, *pool_, *bus_, faults_, registry_);
  }

  // Inserts rows as a service's transaction would and returns their event ids in id order.
  std::vector<std::string> insert_rows(int count) {
    std::vector<std::string> ids;
    pqxx::work tx(*db_);
    for (int i = 0; i < count; ++i) {
      ids.push_back(tx.exec_params1("INSERT INTO tb_outbox (source, subject, payload) VALUES "
                                    "($1, $2, jsonb_build_object('n', $3::int)) "
                                    "RETURNING event_id::text",
                                    source_, subject_, i)[0]
                        .as<std::string>());
    }
    tx.commit();
    return ids;
  }

  long long unpublished() {
    return query_count(*db_,
                       "SELECT count(*) FROM tb_outbox WHERE published_at IS NULL AND "
                       "source = " +
                           db_->quote(source_));
  }

  std::vector<std::string> received_ids(std::size_t expected) {
    std::vector<std::string> ids;
    eventually([&] {
      for (auto& message : consumer_->fetch_ready(64, 500ms)) {
        ids.push_back(message.header("Nats-Msg-Id").value_or(""));
        message.ack();
      }
      return ids.size() >= expected;
    });
    return ids;
  }

  std::string suffix_, source_, subject_;
  runtime::FaultPoints faults_;
  prometheus::Registry registry_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<pqxx::connection> db_;
  std::unique_ptr<bus::JetStreamClient> bus_;
  std::unique_ptr<bus::PullConsumer> consumer_;
};

TEST_F(OutboxRelayTest, PublishesRowsInIdOrderWithTheirEventIds) {
  const auto ids = insert_rows(30);
  auto relay = make_relay(relay_settings());
  relay->start();
  ASSERT_TRUE(eventually([&] { return unpublished() == 0; }));
  EXPECT_EQ(received_ids(30), ids) << "each row once, in id order, Nats-Msg-Id = event_id";
}

TEST_F(OutboxRelayTest, AWakeStartsTheRelayLongBeforeItsNextPoll) {
  auto settings = relay_settings();
  settings.poll_interval = 10min;
  auto relay = make_relay(settings);
  relay->start();
  ASSERT_TRUE(eventually([&] { return relay->active(); }));
  ASSERT_TRUE(eventually([&] { return unpublished() == 0; }));  // its first look, at start
  const auto ids = insert_rows(1);
  relay->wake();
  EXPECT_TRUE(eventually([&] { return unpublished() == 0; }, 20s))
      << "with a 10 minute poll, only the wake can have started it";
  EXPECT_EQ(received_ids(1), ids);
}

TEST_F(OutboxRelayTest, OneActiveRelayPerSourceAndAStandbyTakesOver) {
  auto first = make_relay(relay_settings());
  auto second = make_relay(relay_settings());
  first->start();
  ASSERT_TRUE(eventually([&] { return first->active(); }));
  second->start();
  const auto a = insert_rows(5);
  ASSERT_TRUE(eventually([&] { return unpublished() == 0; }));
  EXPECT_FALSE(second->active()) << "the lock admits one relay per source";

  first->stop();
  ASSERT_TRUE(eventually([&] { return second->active(); })) << "the standby takes over";
  const auto b = insert_rows(5);
  ASSERT_TRUE(eventually([&] { return unpublished() == 0; }));
  auto expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  EXPECT_EQ(received_ids(10), expected);
}

TEST_F(OutboxRelayTest, CrashAfterPublishBeforeMarkSentPublishesEachEventOnce) {
  const auto ids = insert_rows(20);
  const auto binary = choreoctl_binary();
  const std::vector<std::string> env = {"DATABASE_URL=" + StackEnv::current().database_url(),
                                        "NATS_URL=" + StackEnv::current().nats_url()};
  auto crashing_env = env;
  crashing_env.push_back("FAULT_POINT=after_publish_before_mark_sent");

  ChildProcess crashing(binary, {"outbox-flush", "--source", source_}, crashing_env);
  const auto crashed = crashing.wait(60s);
  EXPECT_EQ(crashed.exit_code, 86) << crashed.output;
  EXPECT_EQ(unpublished(), 20) << "published, but the crash came before marking the rows sent";

  ChildProcess again(binary, {"outbox-flush", "--source", source_}, env);
  const auto flushed = again.wait(60s);
  EXPECT_EQ(flushed.exit_code, 0) << flushed.output;
  EXPECT_EQ(unpublished(), 0);

  // Published twice, stored once: the stream dropped the repeats by Nats-Msg-Id.
  EXPECT_EQ(received_ids(20), ids);
  EXPECT_TRUE(consumer_->fetch_ready(64, 500ms).empty()) << "no second copy of any event";
}

TEST_F(OutboxRelayTest, TheRelaySessionWalksTheQueueInIdOrder) {
  auto connection = pool_->open_dedicated();
  ASSERT_TRUE(outbox::try_lock_relay(*connection, source_));
  pqxx::nontransaction tx(*connection);
  EXPECT_EQ(tx.exec1("SHOW enable_bitmapscan")[0].as<std::string>(), "off")
      << "a bitmap scan would reread the dead entries of published rows on every poll";
}

TEST_F(OutboxRelayTest, FlushRefusesWhileARelayOfTheSourceIsActive) {
  auto relay = make_relay(relay_settings());
  relay->start();
  ASSERT_TRUE(eventually([&] { return relay->active(); }));
  ChildProcess flush(choreoctl_binary(), {"outbox-flush", "--source", source_},
                     {"DATABASE_URL=" + StackEnv::current().database_url(),
                      "NATS_URL=" + StackEnv::current().nats_url()});
  const auto result = flush.wait(60s);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("is running"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace choreo::testing
