#include "consumer/settlement.hpp"

#include <gtest/gtest.h>

#include "consumer/dead_letters.hpp"

namespace choreo::consumer {
namespace {

using std::chrono::milliseconds;

RetryPolicy test_policy() {
  RetryPolicy policy;
  policy.max_deliver = 3;
  policy.backoff = {milliseconds(100), milliseconds(400)};
  return policy;
}

TEST(Settle, DoneIsAcked) {
  const auto settlement = settle(Outcome::done(), 1, test_policy());
  EXPECT_EQ(settlement.action, Settlement::Action::ack);
  EXPECT_FALSE(settlement.dead_letter);
}

TEST(Settle, FailuresBackOffThenBecomeDeadLetters) {
  const auto policy = test_policy();
  auto first = settle(Outcome::retry("db said no"), 1, policy);
  EXPECT_EQ(first.action, Settlement::Action::nak);
  EXPECT_EQ(first.delay, milliseconds(100));
  auto second = settle(Outcome::retry("db said no"), 2, policy);
  EXPECT_EQ(second.delay, milliseconds(400));
  auto last = settle(Outcome::retry("db said no"), 3, policy);
  EXPECT_EQ(last.action, Settlement::Action::term);
  EXPECT_TRUE(last.dead_letter);
  EXPECT_NE(last.reason.find("db said no"), std::string::npos);
  EXPECT_NE(last.reason.find("MAX_DELIVER=3"), std::string::npos);
}

TEST(Settle, DuplicateIsAckedWithoutRetry) {
  const auto settlement = settle(Outcome::duplicate(), 5, test_policy());
  EXPECT_EQ(settlement.action, Settlement::Action::ack);
  EXPECT_FALSE(settlement.dead_letter);
}

TEST(Settle, DeadLetterVerdictIsImmediate) {
  const auto settlement = settle(Outcome::dead_letter("undecodable"), 1, test_policy());
  EXPECT_EQ(settlement.action, Settlement::Action::term);
  EXPECT_TRUE(settlement.dead_letter);
  EXPECT_EQ(settlement.reason, "undecodable");
}

TEST(RetryPolicy, LastBackoffRepeats) {
  const auto policy = test_policy();
  EXPECT_EQ(policy.delay_after(10), milliseconds(400));
  RetryPolicy empty;
  empty.backoff.clear();
  EXPECT_GT(empty.delay_after(1).count(), 0);
}

TEST(ExceededDeliveries, OnlyPastMaxDeliver) {
  EXPECT_FALSE(exceeded_deliveries(3, test_policy()));
  EXPECT_TRUE(exceeded_deliveries(4, test_policy()));
}

TEST(DeadLetters, PayloadIsStoredAsRawBytes) {
  EXPECT_EQ(to_bytea_hex(std::string("A\0\xff", 3)), "\\x4100ff");
  EXPECT_EQ(to_bytea_hex(""), "\\x");
}

}  // namespace
}  // namespace choreo::consumer
