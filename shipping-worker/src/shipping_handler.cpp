#include "shipping_handler.hpp"

#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "events/subjects.hpp"
#include "outbox/outbox_writer.hpp"

namespace choreo::shipping_worker {

ShippingHandler::ShippingHandler(std::string outbox_source, Carrier& carrier)
    : outbox_source_(std::move(outbox_source)), carrier_(carrier) {}

std::vector<db::PreparedStatement> ShippingHandler::prepared_statements() {
  return {
      // The order and whether it already has a shipment, in one round trip.
      {"shipping_find_order",
       "SELECT o.pk_order, EXISTS (SELECT 1 FROM tb_shipping s WHERE s.fk_order = o.pk_order) "
       "FROM tb_order o WHERE o.id = $1::uuid"},
      // A concurrent booking for the same order waits on the unique key, then inserts nothing.
      {"shipping_insert",
       "INSERT INTO tb_shipping (fk_order, carrier, tracking_number, provider_label_id) "
       "VALUES ($1, $2, $3, $4) ON CONFLICT (fk_order) DO NOTHING RETURNING pk_shipping"},
  };
}

consumer::Outcome ShippingHandler::handle(const events::Event& event, pqxx::transaction_base& tx) {
  const auto charged = events::parse_payment_charged(event.payload);
  const auto order_rows = tx.exec_prepared("shipping_find_order", charged.order_id);
  if (order_rows.empty())
    return consumer::Outcome::retry("order " + charged.order_id + " does not exist");
  const auto pk_order = order_rows[0][0].as<long long>();
  if (order_rows[0][1].as<bool>())
    return consumer::Outcome::duplicate();

  Label label;
  try {
    label = carrier_.create_label({charged.order_id, charged.shipping_address});
  } catch (const CarrierUnavailable& error) {
    return consumer::Outcome::retry(std::string("carrier unavailable: ") + error.what());
  }
  if (tx.exec_prepared("shipping_insert", pk_order, label.carrier, label.tracking_number,
                       label.label_id)
          .empty()) {
    return consumer::Outcome::duplicate();
  }
  outbox::append(tx, outbox_source_, events::subjects::kOrderShipped,
                 events::to_json(
                     events::OrderShipped{charged.order_id, label.tracking_number, label.carrier}));
  return consumer::Outcome::done();
}

}  // namespace choreo::shipping_worker
