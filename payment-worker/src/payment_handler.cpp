#include "payment_handler.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "outbox/outbox_writer.hpp"

namespace choreo::payment_worker {
namespace {

// tb_payment.amount is NUMERIC(10,2), like the order's total.
constexpr Cents kLargestAmount = 9'999'999'999;

}  // namespace

PaymentHandler::PaymentHandler(std::string outbox_source, PaymentProvider& provider,
                               bool check_for_repeats)
    : outbox_source_(std::move(outbox_source)),
      provider_(provider),
      check_for_repeats_(check_for_repeats) {}

std::vector<db::PreparedStatement> PaymentHandler::prepared_statements() {
  return {
      // Whether the order (known by the UUID its event carries) already has a payment.
      {"payment_exists", "SELECT EXISTS (SELECT 1 FROM tb_payment WHERE order_id = $1::uuid)"},
      // A concurrent charge of the same order (two instances, two event ids) waits on the
      // unique key and then inserts nothing: only one of them announces a result.
      {"payment_insert",
       "INSERT INTO tb_payment (order_id, amount, status, provider_id, failure_reason) "
       "VALUES ($1::uuid, $2::numeric, $3, NULLIF($4, ''), NULLIF($5, '')) "
       "ON CONFLICT (order_id) DO NOTHING RETURNING id::text, amount::text"},
  };
}

consumer::Outcome PaymentHandler::handle(const events::Event& event, pqxx::transaction_base& tx) {
  const auto reserved = events::decode<events::InventoryReserved>(event.payload);
  const auto amount = parse_cents(reserved.total);
  if (!amount || *amount > kLargestAmount) {
    throw events::PayloadError("\"total\" must be a non-negative amount below 100000000.00");
  }
  // Checked before calling the provider, so a repeat costs no provider call at all.
  if (check_for_repeats_ && tx.exec_prepared1("payment_exists", reserved.order_id)[0].as<bool>())
    return consumer::Outcome::duplicate();

  ChargeResult result;
  try {
    result = provider_.charge({reserved.order_id, reserved.identifier, *amount});
  } catch (const ProviderUnavailable& error) {
    return consumer::Outcome::retry(std::string("payment provider unavailable: ") + error.what());
  }

  const auto inserted =
      tx.exec_prepared("payment_insert", reserved.order_id, format_cents(*amount),
                       result.approved ? "succeeded" : "failed", result.provider_id,
                       result.approved ? "" : result.decline_reason);
  if (inserted.empty())
    return consumer::Outcome::duplicate();

  const auto payment_id = inserted[0][0].as<std::string>();
  const auto recorded_amount = inserted[0][1].as<std::string>();
  const auto provider_id =
      result.provider_id.empty() ? std::nullopt : std::optional<std::string>(result.provider_id);
  if (result.approved) {
    outbox::append(tx, outbox_source_,
                   events::PaymentCharged{reserved.order_id, payment_id, recorded_amount,
                                          reserved.shipping_address, provider_id},
                   event.trace);
  } else {
    outbox::append(tx, outbox_source_,
                   events::PaymentFailed{reserved.order_id, result.decline_reason, payment_id,
                                         recorded_amount, provider_id},
                   event.trace);
    spdlog::info("order {}: payment declined ({})", reserved.order_id, result.decline_reason);
  }
  return consumer::Outcome::done();
}

}  // namespace choreo::payment_worker
