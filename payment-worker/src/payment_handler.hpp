#pragma once

#include <string>
#include <vector>

#include "consumer/event_handler.hpp"
#include "db/connection_pool.hpp"
#include "payment_provider.hpp"

namespace choreo::payment_worker {

// events.inventory.reserved -> charge the order's total once. Approved: a `succeeded` tb_payment
// row with the provider's id and events.payment.charged (payment id, amount, and the address the
// shipping worker needs). Declined: a `failed` row and events.payment.failed with the reason; a
// decline is a business outcome, acknowledged like a success. tb_payment allows one row per
// order, so the same reservation announced again under a new event id charges nothing.
class PaymentHandler final : public consumer::EventHandler {
 public:
  // check_for_repeats=false is the test-only CHOREO_UNSAFE_DISABLE_IDEMPOTENCY: the provider is
  // called even for an order that already has its payment.
  PaymentHandler(std::string outbox_source, PaymentProvider& provider,
                 bool check_for_repeats = true);

  static std::vector<db::PreparedStatement> prepared_statements();

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override;

 private:
  std::string outbox_source_;
  PaymentProvider& provider_;
  bool check_for_repeats_;
};

}  // namespace choreo::payment_worker
