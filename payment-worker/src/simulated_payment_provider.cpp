#include "simulated_payment_provider.hpp"

#include "config/env.hpp"

namespace choreo::payment_worker {

SimulatedPaymentSettings load_simulated_payment_settings(const config::EnvReader& env) {
  SimulatedPaymentSettings settings;
  const auto text = env.optional("PAYMENT_DECLINE_ABOVE");
  if (!text)
    return settings;
  const auto limit = parse_cents(*text);
  if (!limit) {
    throw config::ConfigError("configuration: PAYMENT_DECLINE_ABOVE=\"" + *text +
                              "\" is not valid; set PAYMENT_DECLINE_ABOVE to an amount such as "
                              "5000.00 (at most two decimal places)");
  }
  settings.decline_above = *limit;
  return settings;
}

ChargeResult SimulatedPaymentProvider::charge(const ChargeRequest& request) {
  ChargeResult result;
  result.provider_id = "simpay_" + request.idempotency_key;
  if (request.order_identifier.find("bad-card") != std::string::npos) {
    result.decline_reason = "card_declined";
  } else if (request.amount > settings_.decline_above) {
    result.decline_reason = "amount_above_limit";
  } else {
    result.approved = true;
  }
  return result;
}

}  // namespace choreo::payment_worker
