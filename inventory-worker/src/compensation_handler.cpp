#include "compensation_handler.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "events/subjects.hpp"
#include "order_lookup.hpp"
#include "outbox/outbox_writer.hpp"

namespace choreo::inventory_worker {

CompensationHandler::CompensationHandler(std::string outbox_source)
    : outbox_source_(std::move(outbox_source)) {}

std::vector<db::PreparedStatement> CompensationHandler::prepared_statements() {
  return {
      // One row per order, moved to released at most once: the row lock makes a concurrent
      // release wait for ours and then find nothing left to do. A refused order (status
      // rejected) holds nothing, so it is left alone.
      {"reservation_set_release",
       "INSERT INTO tb_reservation_set AS s (fk_order, status, released_at) "
       "VALUES ($1, 'released', now()) "
       "ON CONFLICT (fk_order) DO UPDATE SET status = 'released', released_at = now() "
       "WHERE s.status = 'reserved' RETURNING s.pk_reservation_set"},
      // Byte-wise SKU order (COLLATE "C"), the same order in which reservations lock stock rows.
      {"reservation_held",
       "SELECT r.fk_product, p.identifier, r.quantity FROM tb_reservation r "
       "JOIN tb_product p ON p.pk_product = r.fk_product "
       "WHERE r.fk_order = $1 AND r.released_at IS NULL ORDER BY p.identifier COLLATE \"C\""},
      {"inventory_unreserve",
       "UPDATE tb_inventory SET reserved = reserved - $2, updated_at = now() "
       "WHERE fk_product = $1"},
      {"reservation_mark_released",
       "UPDATE tb_reservation SET released_at = now() "
       "WHERE fk_order = $1 AND released_at IS NULL"},
  };
}

consumer::Outcome CompensationHandler::handle(const events::Event& event,
                                              pqxx::transaction_base& tx) {
  const auto failure = events::parse_payment_failed(event.payload);
  const auto pk_order = find_order(tx, failure.order_id);
  if (!pk_order)
    return consumer::Outcome::retry("order " + failure.order_id + " does not exist");

  if (tx.exec_prepared("reservation_set_release", *pk_order).empty()) {
    spdlog::debug("order {}: nothing held to release; {} changes nothing", failure.order_id,
                  event.id);
    return consumer::Outcome::duplicate();
  }

  events::InventoryReleased released{failure.order_id, {}};
  for (const auto& row : tx.exec_prepared("reservation_held", *pk_order)) {
    const auto quantity = row[2].as<int>();
    tx.exec_prepared("inventory_unreserve", row[0].as<long long>(), quantity);
    released.items.push_back({row[1].as<std::string>(), quantity});
  }
  tx.exec_prepared("reservation_mark_released", *pk_order);

  outbox::append(tx, outbox_source_, events::subjects::kInventoryReleased,
                 events::to_json(released));
  outbox::append(
      tx, outbox_source_, events::subjects::kOrderFailed,
      events::to_json(events::OrderFailed{failure.order_id, "payment_failed", std::nullopt, true}));
  spdlog::info("order {}: payment failed ({}); released {} reserved line(s)", failure.order_id,
               failure.reason, released.items.size());
  return consumer::Outcome::done();
}

}  // namespace choreo::inventory_worker
