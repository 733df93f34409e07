#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <pqxx/connection>

#include "money.hpp"
#include "payment_provider.hpp"

namespace choreo::config {
class EnvReader;
}

namespace choreo::payment_worker {

struct SimulatedPaymentSettings {
  // Totals strictly above this are declined (PAYMENT_DECLINE_ABOVE, default 5000.00).
  Cents decline_above = 500000;
  // Where the provider keeps its ledger of charges (tb_provider_charge); empty: no ledger.
  // PAYMENT_SIMULATOR_LEDGER=1 turns it on, in the database of DATABASE_URL.
  std::string ledger_database_url;
  // Test-only (CHOREO_UNSAFE_DISABLE_IDEMPOTENCY=1): every charge is new, whatever its key, so a
  // chaos run can show that its checker sees double charges.
  bool honour_idempotency_key = true;
};

// PAYMENT_DECLINE_ABOVE, PAYMENT_SIMULATOR_LEDGER, CHOREO_UNSAFE_DISABLE_IDEMPOTENCY; a
// ConfigError when one is not valid.
SimulatedPaymentSettings load_simulated_payment_settings(const config::EnvReader& env);

// The built-in provider: deterministic rules instead of a bank, so the choreography and its
// compensation can be shown and tested. It declines when the order's identifier contains
// "bad-card" or the amount is above the limit, and approves everything else. Like a real
// provider it answers a repeated idempotency key with its first answer; with a ledger, that
// first answer is the one recorded, and the ledger shows every charge actually made.
class SimulatedPaymentProvider final : public PaymentProvider {
 public:
  explicit SimulatedPaymentProvider(SimulatedPaymentSettings settings);
  ~SimulatedPaymentProvider() override;

  ChargeResult charge(const ChargeRequest& request) override;

 private:
  ChargeResult decide(const ChargeRequest& request) const;
  ChargeResult record(const ChargeRequest& request, const ChargeResult& decision);

  SimulatedPaymentSettings settings_;
  std::mutex ledger_mutex_;  // one ledger connection, used by one charge at a time
  std::unique_ptr<pqxx::connection> ledger_;
  long unkeyed_charges_ = 0;  // makes keys unique when idempotency is switched off
};

}  // namespace choreo::payment_worker
