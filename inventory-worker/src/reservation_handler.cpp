#include "reservation_handler.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "outbox/outbox_writer.hpp"
#include "reservation_plan.hpp"

namespace choreo::inventory_worker {
namespace {

struct StockRow {
  long long pk_inventory = 0;
  long long available = 0;
};

}  // namespace

ReservationHandler::ReservationHandler(std::string outbox_source)
    : outbox_source_(std::move(outbox_source)) {}

std::vector<db::PreparedStatement> ReservationHandler::prepared_statements() {
  return {
      // The claim comes first, before any stock row is locked: a concurrent claim for the same
      // order waits here for ours to commit and then finds the order decided. No row back: a
      // claim was already there. The order is known by the UUID its event carries: nothing of
      // the order service's is read.
      {"reservation_set_claim",
       "INSERT INTO tb_reservation_set (order_id, status) VALUES ($1::uuid, 'reserved') "
       "ON CONFLICT (order_id) DO NOTHING RETURNING pk_reservation_set"},
      {"reservation_set_reject",
       "UPDATE tb_reservation_set SET status = 'rejected' WHERE order_id = $1::uuid"},
      // FOR UPDATE makes "is there enough" and "take it" one step: a competing order waits and
      // then sees our reservation (READ COMMITTED re-reads the locked row).
      {"inventory_lock",
       "SELECT pk_inventory, quantity - reserved FROM tb_inventory WHERE sku = $1 FOR UPDATE"},
      // Takes the stock and records what this order holds, in one round trip.
      {"inventory_reserve",
       "WITH taken AS (UPDATE tb_inventory SET reserved = reserved + $3, updated_at = now() "
       "WHERE pk_inventory = $2 RETURNING sku) "
       "INSERT INTO tb_reservation (order_id, sku, quantity) "
       "SELECT $1::uuid, sku, $3 FROM taken"},
  };
}

consumer::Outcome ReservationHandler::handle(const events::Event& event,
                                             pqxx::transaction_base& tx) {
  const auto order = events::decode<events::OrderCreated>(event.payload);
  if (tx.exec_prepared("reservation_set_claim", order.order_id).empty()) {
    spdlog::debug("order {}: stock already decided; {} changes nothing", order.order_id, event.id);
    return consumer::Outcome::duplicate();
  }

  const auto demand = demand_by_sku(order.items);
  std::map<std::string, StockRow> stock;
  Availability available;
  for (const auto& wanted : demand) {  // sorted by SKU: the one lock order of every transaction
    const auto rows = tx.exec_prepared("inventory_lock", wanted.sku);
    if (rows.empty())
      continue;  // a product without a stock row has nothing to give
    StockRow row{rows[0][0].as<long long>(), rows[0][1].as<long long>()};
    available[wanted.sku] = row.available;
    stock.emplace(wanted.sku, row);
  }

  if (const auto short_sku = first_shortfall(order.items, available)) {
    tx.exec_prepared("reservation_set_reject", order.order_id);
    outbox::append(
        tx, outbox_source_,
        events::OrderFailed{order.order_id, "inventory_unavailable", *short_sku, std::nullopt},
        event.trace);
    spdlog::info("order {}: not enough stock of {}", order.order_id, *short_sku);
    return consumer::Outcome::done();
  }

  for (const auto& wanted : demand) {
    const auto& row = stock.at(wanted.sku);
    tx.exec_prepared("inventory_reserve", order.order_id, row.pk_inventory, wanted.quantity);
  }
  outbox::append(tx, outbox_source_,
                 events::InventoryReserved{order.order_id, order.items, order.identifier,
                                           order.total, order.shipping_address},
                 event.trace);
  return consumer::Outcome::done();
}

}  // namespace choreo::inventory_worker
