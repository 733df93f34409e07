#include "simulated_payment_provider.hpp"

#include <gtest/gtest.h>

#include "config/env.hpp"

namespace choreo::payment_worker {
namespace {

using Values = std::map<std::string, std::string>;

ChargeResult charge(const std::string& identifier, Cents amount, Cents limit = 500000) {
  SimulatedPaymentSettings settings;
  settings.decline_above = limit;
  SimulatedPaymentProvider provider(settings);
  return provider.charge({"550e8400-e29b-41d4-a716-446655440000", identifier, amount});
}

TEST(SimulatedPaymentProvider, ApprovesOrdinaryCharges) {
  const auto result = charge("ord-001", 4999);
  EXPECT_TRUE(result.approved);
  EXPECT_FALSE(result.provider_id.empty());
  EXPECT_TRUE(result.decline_reason.empty());
}

TEST(SimulatedPaymentProvider, DeclinesBadCardAnywhereInTheIdentifier) {
  for (const char* identifier : {"bad-card", "ord-bad-card-17", "x.bad-card"}) {
    const auto result = charge(identifier, 100);
    EXPECT_FALSE(result.approved) << identifier;
    EXPECT_EQ(result.decline_reason, "card_declined");
  }
  EXPECT_TRUE(charge("ord-bad_card", 100).approved) << "only the exact word declines";
}

TEST(SimulatedPaymentProvider, DeclinesOnlyStrictlyAboveTheLimit) {
  EXPECT_TRUE(charge("ord-a", 500000).approved) << "5000.00 ships";
  const auto above = charge("ord-b", 500001);
  EXPECT_FALSE(above.approved);
  EXPECT_EQ(above.decline_reason, "amount_above_limit");
  EXPECT_FALSE(charge("ord-fail-001", 999999).approved) << "the seed's 9999.99";
}

TEST(SimulatedPaymentProvider, SameKeySameAnswer) {
  EXPECT_EQ(charge("ord-1", 100).provider_id, charge("ord-1", 100).provider_id);
}

TEST(SimulatedPaymentSettings, DefaultsToFiveThousand) {
  EXPECT_EQ(load_simulated_payment_settings(config::EnvReader(Values{})).decline_above, 500000);
}

TEST(SimulatedPaymentSettings, ReadsTheLimitExactly) {
  const config::EnvReader env(Values{{"PAYMENT_DECLINE_ABOVE", "100.10"}});
  EXPECT_EQ(load_simulated_payment_settings(env).decline_above, 10010);
}

TEST(SimulatedPaymentSettings, RejectsAMalformedLimit) {
  for (const char* bad : {"-5", "5000.001", "lots"}) {
    const config::EnvReader env(Values{{"PAYMENT_DECLINE_ABOVE", bad}});
    EXPECT_THROW(load_simulated_payment_settings(env), config::ConfigError) << bad;
  }
}

}  // namespace
}  // namespace choreo::payment_worker
