#include "shipping_handler.hpp"

#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "outbox/outbox_writer.hpp"

namespace choreo::shipping_worker {

ShippingHandler::ShippingHandler(std::string outbox_source, Carrier& carrier)
    : outbox_source_(std::move(outbox_source)), carrier_(carrier) {}

std::vector<db::PreparedStatement> ShippingHandler::prepared_statements() {
  return {
      // Whether the order (known by the UUID its event carries) already has a shipment.
      {"shipping_exists", "SELECT EXISTS (SELECT 1 FROM tb_shipping WHERE order_id = $1::uuid)"},
      // A concurrent booking for the same order waits on the unique key, then inserts nothing.
      {"shipping_insert",
       "INSERT INTO tb_shipping (order_id, carrier, tracking_number, provider_label_id) "
       "VALUES ($1::uuid, $2, $3, $4) ON CONFLICT (order_id) DO NOTHING RETURNING pk_shipping"},
  };
}

consumer::Outcome ShippingHandler::handle(const events::Event& event, pqxx::transaction_base& tx) {
  const auto charged = events::decode<events::PaymentCharged>(event.payload);
  if (tx.exec_prepared1("shipping_exists", charged.order_id)[0].as<bool>())
    return consumer::Outcome::duplicate();

  Label label;
  try {
    label = carrier_.create_label({charged.order_id, charged.shipping_address});
  } catch (const CarrierUnavailable& error) {
    return consumer::Outcome::retry(std::string("carrier unavailable: ") + error.what());
  }
  if (tx.exec_prepared("shipping_insert", charged.order_id, label.carrier, label.tracking_number,
                       label.label_id)
          .empty()) {
    return consumer::Outcome::duplicate();
  }
  outbox::append(
      tx, outbox_source_,
      events::OrderShipped{charged.order_id, label.tracking_number, label.carrier, label.label_id},
      event.trace);
  return consumer::Outcome::done();
}

}  // namespace choreo::shipping_worker
