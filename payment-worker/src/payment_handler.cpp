#include "payment_handler.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "events/subjects.hpp"
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
      // The order and whether it already has a payment, in one round trip.
      {"payment_find_order",
       "SELECT o.pk_order, EXISTS (SELECT 1 FROM tb_payment p WHERE p.fk_order = o.pk_order) "
       "FROM tb_order o WHERE o.id = $1::uuid"},
      // A concurrent charge of the same order (two instances, two event ids) waits on the
      // unique key and then inserts nothing: only one of them announces a result.
      {"payment_insert",
       "INSERT INTO tb_payment (fk_order, amount, status, provider_id, failure_reason) "
       "VALUES ($1, $2::numeric, $3, NULLIF($4, ''), NULLIF($5, '')) "
       "ON CONFLICT (fk_order) DO NOTHING RETURNING id::text, amount::text"},
  };
}

consumer::Outcome PaymentHandler::handle(const events::Event& event, pqxx::transaction_base& tx) {
  const auto reserved = events::parse_inventory_reserved(event.payload);
  const auto amount = parse_cents(reserved.total);
  if (!amount || *amount > kLargestAmount) {
    throw events::PayloadError("\"total\" must be a non-negative amount below 100000000.00");
  }
  const auto order_rows = tx.exec_prepared("payment_find_order", reserved.order_id);
  if (order_rows.empty())
    return consumer::Outcome::retry("order " + reserved.order_id + " does not exist");
  const auto pk_order = order_rows[0][0].as<long long>();
  // Checked before calling the provider, so a repeat costs no provider call at all.
  if (check_for_repeats_ && order_rows[0][1].as<bool>())
    return consumer::Outcome::duplicate();

  ChargeResult result;
  try {
    result = provider_.charge({reserved.order_id, reserved.identifier, *amount});
  } catch (const ProviderUnavailable& error) {
    return consumer::Outcome::retry(std::string("payment provider unavailable: ") + error.what());
  }

  const auto inserted = tx.exec_prepared(
      "payment_insert", pk_order, format_cents(*amount), result.approved ? "succeeded" : "failed",
      result.provider_id, result.approved ? "" : result.decline_reason);
  if (inserted.empty())
    return consumer::Outcome::duplicate();

  if (result.approved) {
    outbox::append(tx, outbox_source_, events::subjects::kPaymentCharged,
                   events::to_json(events::PaymentCharged{
                       reserved.order_id, inserted[0][0].as<std::string>(),
                       inserted[0][1].as<std::string>(), reserved.shipping_address}));
  } else {
    outbox::append(
        tx, outbox_source_, events::subjects::kPaymentFailed,
        events::to_json(events::PaymentFailed{reserved.order_id, result.decline_reason}));
    spdlog::info("order {}: payment declined ({})", reserved.order_id, result.decline_reason);
  }
  return consumer::Outcome::done();
}

}  // namespace choreo::payment_worker
