#include "reservation_handler.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "events/subjects.hpp"
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
      // order waits here for ours to commit and then finds the order decided.
      // One round trip finds the order and claims it: no row, no such order; false, a claim
      // was already there.
      {"reservation_set_claim",
       "WITH target AS (SELECT pk_order FROM tb_order WHERE id = $1::uuid), "
       "claim AS (INSERT INTO tb_reservation_set (fk_order, status) "
       "SELECT pk_order, 'reserved' FROM target "
       "ON CONFLICT (fk_order) DO NOTHING RETURNING pk_reservation_set) "
       "SELECT target.pk_order, EXISTS (SELECT 1 FROM claim) FROM target"},
      {"reservation_set_reject",
       "UPDATE tb_reservation_set SET status = 'rejected' WHERE fk_order = $1"},
      // FOR UPDATE makes "is there enough" and "take it" one step: a competing order waits and
      // then sees our reservation (READ COMMITTED re-reads the locked row).
      {"inventory_lock",
       "SELECT i.pk_inventory, i.quantity - i.reserved FROM tb_inventory i "
       "JOIN tb_product p ON p.pk_product = i.fk_product WHERE p.identifier = $1 "
       "FOR UPDATE OF i"},
      // Takes the stock and records what this order holds, in one round trip.
      {"inventory_reserve",
       "WITH taken AS (UPDATE tb_inventory SET reserved = reserved + $3, updated_at = now() "
       "WHERE pk_inventory = $2 RETURNING fk_product) "
       "INSERT INTO tb_reservation (fk_order, fk_product, quantity) "
       "SELECT $1, fk_product, $3 FROM taken"},
  };
}

consumer::Outcome ReservationHandler::handle(const events::Event& event,
                                             pqxx::transaction_base& tx) {
  const auto order = events::parse_order_created(event.payload);
  const auto claim = tx.exec_prepared("reservation_set_claim", order.order_id);
  if (claim.empty())
    return consumer::Outcome::retry("order " + order.order_id + " does not exist");
  const auto pk_order = claim[0][0].as<long long>();
  if (!claim[0][1].as<bool>()) {
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
    tx.exec_prepared("reservation_set_reject", pk_order);
    outbox::append(tx, outbox_source_, events::subjects::kOrderFailed,
                   events::to_json(events::OrderFailed{order.order_id, "inventory_unavailable",
                                                       *short_sku, std::nullopt}));
    spdlog::info("order {}: not enough stock of {}", order.order_id, *short_sku);
    return consumer::Outcome::done();
  }

  for (const auto& wanted : demand) {
    const auto& row = stock.at(wanted.sku);
    tx.exec_prepared("inventory_reserve", pk_order, row.pk_inventory, wanted.quantity);
  }
  outbox::append(
      tx, outbox_source_, events::subjects::kInventoryReserved,
      events::to_json(events::InventoryReserved{order.order_id, order.items, order.identifier,
                                                order.total, order.shipping_address}));
  return consumer::Outcome::done();
}

}  // namespace choreo::inventory_worker
