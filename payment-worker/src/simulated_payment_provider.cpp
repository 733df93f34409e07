#include "simulated_payment_provider.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <pqxx/pqxx>

#include "config/env.hpp"

namespace choreo::payment_worker {

SimulatedPaymentSettings load_simulated_payment_settings(const config::EnvReader& env) {
  SimulatedPaymentSettings settings;
  if (const auto text = env.optional("PAYMENT_DECLINE_ABOVE")) {
    const auto limit = parse_cents(*text);
    if (!limit) {
      throw config::ConfigError("configuration: PAYMENT_DECLINE_ABOVE=\"" + *text +
                                "\" is not valid; set PAYMENT_DECLINE_ABOVE to an amount such as "
                                "5000.00 (at most two decimal places)");
    }
    settings.decline_above = *limit;
  }
  if (env.boolean_or("PAYMENT_SIMULATOR_LEDGER", false))
    settings.ledger_database_url = env.required("DATABASE_URL", "the ledger's database");
  settings.honour_idempotency_key = !env.boolean_or("CHOREO_UNSAFE_DISABLE_IDEMPOTENCY", false);
  return settings;
}

SimulatedPaymentProvider::SimulatedPaymentProvider(SimulatedPaymentSettings settings)
    : settings_(std::move(settings)) {
  if (!settings_.honour_idempotency_key)
    spdlog::warn("payment simulator: idempotency keys IGNORED (test-only switch); repeats charge");
}

SimulatedPaymentProvider::~SimulatedPaymentProvider() = default;

ChargeResult SimulatedPaymentProvider::decide(const ChargeRequest& request) const {
  ChargeResult result;
  result.provider_id = "simpay_" + request.idempotency_key;
  if (request.order_identifier.find("bad-card") != std::string::npos) {
    result.decline_reason = "card_declined";
  } else if (request.amount > settings_.decline_above) {
    result.decline_reason = "amount_above_limit";
  } else {
    result.approved = true;
  }
  return result;
}

ChargeResult SimulatedPaymentProvider::charge(const ChargeRequest& request) {
  const auto decision = decide(request);
  if (settings_.ledger_database_url.empty())
    return decision;  // the answer depends only on the request: a repeat gets the same one
  try {
    return record(request, decision);
  } catch (const pqxx::broken_connection& error) {
    std::lock_guard lock(ledger_mutex_);
    ledger_.reset();
    throw ProviderUnavailable(std::string("ledger connection lost: ") + error.what());
  } catch (const pqxx::sql_error& error) {
    throw ProviderUnavailable(std::string("ledger: ") + error.what());
  }
}

// The ledger is written in its own committed transaction, outside the worker's: the charge has
// happened even if the worker then crashes before committing, exactly like a real provider's.
ChargeResult SimulatedPaymentProvider::record(const ChargeRequest& request,
                                              const ChargeResult& decision) {
  std::lock_guard lock(ledger_mutex_);
  if (!ledger_)
    ledger_ = std::make_unique<pqxx::connection>(settings_.ledger_database_url);
  auto key = request.idempotency_key;
  if (!settings_.honour_idempotency_key)
    key += "#" + std::to_string(++unkeyed_charges_) + "@" + std::to_string(::getpid());
  pqxx::work tx(*ledger_);
  // The first charge under a key wins; a repeat reads back that first answer.
  const auto rows = tx.exec_params(
      "WITH inserted AS ("
      "  INSERT INTO tb_provider_charge (identifier, order_id, order_identifier, amount_cents, "
      "    approved, provider_id, decline_reason) "
      "  VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, '')) "
      "  ON CONFLICT (identifier) DO NOTHING "
      "  RETURNING approved, provider_id, coalesce(decline_reason, '')) "
      "SELECT * FROM inserted UNION ALL "
      "SELECT approved, provider_id, coalesce(decline_reason, '') FROM tb_provider_charge "
      "WHERE identifier = $1 AND NOT EXISTS (SELECT 1 FROM inserted)",
      key, request.idempotency_key, request.order_identifier,
      static_cast<long long>(request.amount), decision.approved, decision.provider_id,
      decision.decline_reason);
  // Another worker instance inserting the same key at this moment: its row committed after our
  // statement's snapshot, so read it with a fresh one.
  const auto answer_rows = rows.empty()
                               ? tx.exec_params(
                                     "SELECT approved, provider_id, coalesce(decline_reason, '') "
                                     "FROM tb_provider_charge WHERE identifier = $1",
                                     key)
                               : rows;
  tx.commit();
  if (answer_rows.empty())
    throw ProviderUnavailable("ledger: charge " + key + " neither recorded nor found");
  ChargeResult answer;
  answer.approved = answer_rows[0][0].as<bool>();
  answer.provider_id = answer_rows[0][1].as<std::string>();
  answer.decline_reason = answer_rows[0][2].as<std::string>();
  return answer;
}

}  // namespace choreo::payment_worker
