#include "status/order_facts.hpp"

#include <pqxx/pqxx>

namespace choreo::order_service {

std::vector<db::PreparedStatement> OrderFacts::prepared_statements() {
  // One statement per kind for a whole batch (the facts travel as one JSON array); RETURNING
  // names the orders found, recorded now or before.
  return {{"order_facts_payments",
           "WITH fact AS (SELECT o.pk_order, f.* FROM jsonb_to_recordset($1::jsonb) AS "
           "f(order_id uuid, payment_id uuid, amount numeric, status text, provider_id text) "
           "JOIN tb_order o ON o.id = f.order_id), "
           "recorded AS (INSERT INTO tb_order_payment (fk_order, payment_id, amount, status, "
           "provider_id) SELECT pk_order, payment_id, amount, status, provider_id FROM fact "
           "ON CONFLICT (fk_order) DO NOTHING) "
           "SELECT order_id::text FROM fact"},
          {"order_facts_shipments",
           "WITH fact AS (SELECT o.pk_order, f.* FROM jsonb_to_recordset($1::jsonb) AS "
           "f(order_id uuid, carrier text, tracking_number text, label_id text) "
           "JOIN tb_order o ON o.id = f.order_id), "
           "recorded AS (INSERT INTO tb_order_shipment (fk_order, carrier, tracking_number, "
           "label_id) SELECT pk_order, carrier, tracking_number, label_id FROM fact "
           "ON CONFLICT (fk_order) DO NOTHING) "
           "SELECT order_id::text FROM fact"}};
}

void OrderFacts::add(const events::PaymentCharged& charged) {
  payments_.push_back({{"order_id", charged.order_id},
                       {"payment_id", charged.payment_id},
                       {"amount", charged.amount},
                       {"status", "succeeded"},
                       {"provider_id", charged.provider_id ? nlohmann::json(*charged.provider_id)
                                                           : nlohmann::json(nullptr)}});
}

void OrderFacts::add(const events::PaymentFailed& failed) {
  if (!failed.payment_id || !failed.amount)
    return;
  payments_.push_back({{"order_id", failed.order_id},
                       {"payment_id", *failed.payment_id},
                       {"amount", *failed.amount},
                       {"status", "failed"},
                       {"provider_id", failed.provider_id ? nlohmann::json(*failed.provider_id)
                                                          : nlohmann::json(nullptr)}});
}

void OrderFacts::add(const events::OrderShipped& shipped) {
  shipments_.push_back({{"order_id", shipped.order_id},
                        {"carrier", shipped.carrier},
                        {"tracking_number", shipped.tracking_number},
                        {"label_id", shipped.label_id.value_or("")}});
}

std::vector<std::string> OrderFacts::record(pqxx::transaction_base& tx) const {
  std::vector<std::string> known;
  const auto run = [&](const char* statement, const nlohmann::json& facts) {
    if (facts.empty())
      return;
    for (const auto& row : tx.exec_prepared(statement, facts.dump()))
      known.push_back(row[0].as<std::string>());
  };
  run("order_facts_payments", payments_);
  run("order_facts_shipments", shipments_);
  return known;
}

}  // namespace choreo::order_service
