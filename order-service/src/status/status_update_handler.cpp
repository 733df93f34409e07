#include "status/status_update_handler.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <set>

#include "events/payloads.hpp"
#include "events/subjects.hpp"
#include "status/order_facts.hpp"

namespace choreo::order_service {

namespace {

// Which order an event moves, the reason a failure gives, and what the order service keeps of it
// (a payment, a shipment); nullopt for a subject nothing follows from.
struct StatusChange {
  std::string order_id;
  std::string reason;
};

std::optional<StatusChange> read_event(const events::Event& event, OrderFacts& facts) {
  if (event.subject == events::subjects::kOrderFailed) {
    auto failed = events::decode<events::OrderFailed>(event.payload);
    return StatusChange{std::move(failed.order_id), std::move(failed.reason)};
  }
  if (event.subject == events::subjects::kOrderShipped) {
    const auto shipped = events::decode<events::OrderShipped>(event.payload);
    facts.add(shipped);
    return StatusChange{shipped.order_id, ""};
  }
  if (event.subject == events::subjects::kPaymentCharged) {
    const auto charged = events::decode<events::PaymentCharged>(event.payload);
    facts.add(charged);
    return StatusChange{charged.order_id, ""};
  }
  if (event.subject == events::subjects::kPaymentFailed) {
    const auto failed = events::decode<events::PaymentFailed>(event.payload);
    facts.add(failed);
    return StatusChange{failed.order_id, ""};
  }
  return std::nullopt;
}

// The order's row is committed before its first event is published, so an unknown order is not
// a race: retried (in case of replication lag) and then dead-lettered.
consumer::Outcome unknown_order(const std::string& order_id) {
  return consumer::Outcome::retry("order " + order_id + " does not exist");
}

// What fn_update_order_status's answer means for the event that asked for it.
consumer::Outcome outcome_of(const pqxx::row& answer, const std::string& order_id,
                             const std::string& subject) {
  const auto result = answer[0].as<std::string>();
  if (result == "updated")
    return consumer::Outcome::done();
  if (result == "noop") {
    spdlog::debug("order {}: {} does not raise its status; acknowledged as a no-op", order_id,
                  subject);
    return consumer::Outcome::done();
  }
  if (result == "not_found")
    return unknown_order(order_id);
  return consumer::Outcome::dead_letter("fn_update_order_status answered " + result + ": " +
                                        (answer[1].is_null() ? "" : answer[1].as<std::string>()));
}

}  // namespace

StatusUpdateHandler::StatusUpdateHandler(std::optional<std::string> target_status)
    : target_status_(std::move(target_status)) {}

std::vector<db::PreparedStatement> StatusUpdateHandler::prepared_statements() {
  std::vector<db::PreparedStatement> statements = {
      {"update_order_status",
       "SELECT status, message FROM fn_update_order_status($1::uuid, $2, NULLIF($3, ''))"},
      // The same for a whole batch in one round trip: one call per element, in batch order
      // (the lateral call runs once per row of the ordered array), answers in that order.
      {"update_order_status_all",
       "SELECT r.status, r.message "
       "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(change, n) "
       "CROSS JOIN LATERAL fn_update_order_status((e.change ->> 'order_id')::uuid, $2, "
       "NULLIF(e.change ->> 'reason', '')) AS r ORDER BY e.n"}};
  for (auto& statement : OrderFacts::prepared_statements())
    statements.push_back(std::move(statement));
  return statements;
}

consumer::Outcome StatusUpdateHandler::handle(const events::Event& event,
                                              pqxx::transaction_base& tx) {
  return handle_all({&event}, tx).at(0);
}

std::vector<consumer::Outcome> StatusUpdateHandler::handle_all(
    const std::vector<const events::Event*>& events, pqxx::transaction_base& tx) {
  OrderFacts facts;
  std::vector<StatusChange> changes;
  changes.reserve(events.size());
  auto array = nlohmann::json::array();
  for (const auto* event : events) {
    auto change = read_event(*event, facts);
    if (!change) {
      if (events.size() == 1)
        return {consumer::Outcome::dead_letter("nothing follows from " + event->subject)};
      return EventHandler::handle_all(events, tx);  // rare: the one-by-one path sorts it out
    }
    array.push_back({{"order_id", change->order_id}, {"reason", change->reason}});
    changes.push_back(std::move(*change));
  }
  const auto known = facts.record(tx);
  std::vector<consumer::Outcome> outcomes;
  outcomes.reserve(events.size());
  if (!target_status_) {  // only facts to keep (events.payment.failed)
    const std::set<std::string> found(known.begin(), known.end());
    for (const auto& change : changes)
      outcomes.push_back(found.count(change.order_id) != 0 ? consumer::Outcome::done()
                                                           : unknown_order(change.order_id));
    return outcomes;
  }
  const auto answers = tx.exec_prepared("update_order_status_all", array.dump(), *target_status_);
  for (std::size_t i = 0; i < events.size() && i < static_cast<std::size_t>(answers.size()); ++i)
    outcomes.push_back(outcome_of(answers[static_cast<pqxx::result::size_type>(i)],
                                  changes[i].order_id, events[i]->subject));
  return outcomes;  // fewer answers than events: the runtime reruns the batch one by one
}

}  // namespace choreo::order_service
