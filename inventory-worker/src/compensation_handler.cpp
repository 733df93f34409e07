#include "compensation_handler.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "outbox/outbox_writer.hpp"

namespace choreo::inventory_worker {

CompensationHandler::CompensationHandler(std::string outbox_source)
    : outbox_source_(std::move(outbox_source)) {}

std::vector<db::PreparedStatement> CompensationHandler::prepared_statements() {
  return {
      // One row per order, moved to released at most once: the row lock makes a concurrent
      // release wait for ours and then find nothing left to do. A refused order (status
      // rejected) holds nothing, so it is left alone. A payment failure for an order this worker
      // has not decided yet leaves a released row, which fences off a late reservation.
      {"reservation_set_release",
       "INSERT INTO tb_reservation_set AS s (order_id, status, released_at) "
       "VALUES ($1::uuid, 'released', now()) "
       "ON CONFLICT (order_id) DO UPDATE SET status = 'released', released_at = now() "
       "WHERE s.status = 'reserved' RETURNING s.pk_reservation_set"},
      // Byte-wise SKU order (COLLATE "C"), the same order in which reservations lock stock rows.
      {"reservation_held",
       "SELECT sku, quantity FROM tb_reservation WHERE order_id = $1::uuid "
       "AND released_at IS NULL ORDER BY sku COLLATE \"C\""},
      {"inventory_unreserve",
       "UPDATE tb_inventory SET reserved = reserved - $2, updated_at = now() WHERE sku = $1"},
      {"reservation_mark_released",
       "UPDATE tb_reservation SET released_at = now() "
       "WHERE order_id = $1::uuid AND released_at IS NULL"},
  };
}

consumer::Outcome CompensationHandler::handle(const events::Event& event,
                                              pqxx::transaction_base& tx) {
  const auto failure = events::decode<events::PaymentFailed>(event.payload);
  if (tx.exec_prepared("reservation_set_release", failure.order_id).empty()) {
    spdlog::debug("order {}: nothing held to release; {} changes nothing", failure.order_id,
                  event.id);
    return consumer::Outcome::duplicate();
  }

  events::InventoryReleased released{failure.order_id, {}};
  for (const auto& row : tx.exec_prepared("reservation_held", failure.order_id)) {
    const auto quantity = row[1].as<int>();
    tx.exec_prepared("inventory_unreserve", row[0].as<std::string>(), quantity);
    released.items.push_back({row[0].as<std::string>(), quantity});
  }
  tx.exec_prepared("reservation_mark_released", failure.order_id);

  outbox::append(tx, outbox_source_, released, event.trace);
  outbox::append(tx, outbox_source_,
                 events::OrderFailed{failure.order_id, "payment_failed", std::nullopt, true},
                 event.trace);
  spdlog::info("order {}: payment failed ({}); released {} reserved line(s)", failure.order_id,
               failure.reason, released.items.size());
  return consumer::Outcome::done();
}

}  // namespace choreo::inventory_worker
