#pragma once

#include "money.hpp"
#include "payment_provider.hpp"

namespace choreo::config {
class EnvReader;
}

namespace choreo::payment_worker {

struct SimulatedPaymentSettings {
  // Totals strictly above this are declined (PAYMENT_DECLINE_ABOVE, default 5000.00).
  Cents decline_above = 500000;
};

// PAYMENT_DECLINE_ABOVE; a ConfigError when it is not a non-negative amount with two places.
SimulatedPaymentSettings load_simulated_payment_settings(const config::EnvReader& env);

// The built-in provider: deterministic rules instead of a bank, so the choreography and its
// compensation can be shown and tested. It declines when the order's identifier contains
// "bad-card" or the amount is above the limit, and approves everything else. Its answer depends
// only on the request, so a repeated charge with the same idempotency key gets the same answer
// and the same provider id.
class SimulatedPaymentProvider final : public PaymentProvider {
 public:
  explicit SimulatedPaymentProvider(SimulatedPaymentSettings settings) : settings_(settings) {}

  ChargeResult charge(const ChargeRequest& request) override;

 private:
  SimulatedPaymentSettings settings_;
};

}  // namespace choreo::payment_worker
