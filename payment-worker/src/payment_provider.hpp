#pragma once

#include <stdexcept>
#include <string>

#include "money.hpp"

namespace choreo::payment_worker {

struct ChargeRequest {
  // The order's id: a provider that sees the same key twice must answer the first charge again
  // rather than charge twice (the worker may retry after a crash between charge and commit).
  std::string idempotency_key;
  std::string order_identifier;  // the client's name for the order, e.g. "ord-001"
  Cents amount = 0;
};

struct ChargeResult {
  bool approved = false;
  std::string provider_id;     // the provider's reference for the charge (or the decline)
  std::string decline_reason;  // when !approved: a stable word such as "card_declined"
};

// The provider could not answer now (timeout, outage): worth retrying later, unlike a decline.
class ProviderUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where charges go. A decline is an answer, not an error; only ProviderUnavailable is thrown for
// a failure that may pass.
class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual ChargeResult charge(const ChargeRequest& request) = 0;
};

}  // namespace choreo::payment_worker
