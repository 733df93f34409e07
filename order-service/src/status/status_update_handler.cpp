#include "status/status_update_handler.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "events/subjects.hpp"

namespace choreo::order_service {

namespace {

// Which order an event moves, and the reason a failure gives; nullopt for a subject no status
// follows from.
struct StatusChange {
  std::string order_id;
  std::string reason;
};

std::optional<StatusChange> status_change_of(const events::Event& event) {
  if (event.subject == events::subjects::kOrderFailed) {
    auto failed = events::parse_order_failed(event.payload);
    return StatusChange{std::move(failed.order_id), std::move(failed.reason)};
  }
  if (event.subject == events::subjects::kOrderShipped)
    return StatusChange{events::parse_order_shipped(event.payload).order_id, ""};
  if (event.subject == events::subjects::kPaymentCharged)
    return StatusChange{events::parse_payment_charged(event.payload).order_id, ""};
  return std::nullopt;
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
  if (result == "not_found") {
    // The order's row is committed before its first event is published, so this is not a race:
    // retried (in case of replication lag) and then dead-lettered.
    return consumer::Outcome::retry("order " + order_id + " does not exist");
  }
  return consumer::Outcome::dead_letter("fn_update_order_status answered " + result + ": " +
                                        (answer[1].is_null() ? "" : answer[1].as<std::string>()));
}

}  // namespace

StatusUpdateHandler::StatusUpdateHandler(std::string target_status)
    : target_status_(std::move(target_status)) {}

std::vector<db::PreparedStatement> StatusUpdateHandler::prepared_statements() {
  return {{"update_order_status",
           "SELECT status, message FROM fn_update_order_status($1::uuid, $2, NULLIF($3, ''))"},
          // The same for a whole batch in one round trip: one call per element, in batch order
          // (the lateral call runs once per row of the ordered array), answers in that order.
          {"update_order_status_all",
           "SELECT r.status, r.message "
           "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(change, n) "
           "CROSS JOIN LATERAL fn_update_order_status((e.change ->> 'order_id')::uuid, $2, "
           "NULLIF(e.change ->> 'reason', '')) AS r ORDER BY e.n"}};
}

consumer::Outcome StatusUpdateHandler::handle(const events::Event& event,
                                              pqxx::transaction_base& tx) {
  const auto change = status_change_of(event);
  if (!change)
    return consumer::Outcome::dead_letter("no status follows from " + event.subject);
  const auto answer =
      tx.exec_prepared1("update_order_status", change->order_id, target_status_, change->reason);
  return outcome_of(answer, change->order_id, event.subject);
}

std::vector<consumer::Outcome> StatusUpdateHandler::handle_all(
    const std::vector<const events::Event*>& events, pqxx::transaction_base& tx) {
  std::vector<StatusChange> changes;
  changes.reserve(events.size());
  auto array = nlohmann::json::array();
  for (const auto* event : events) {
    auto change = status_change_of(*event);
    if (!change)  // rare enough to leave to the one-by-one path
      return EventHandler::handle_all(events, tx);
    array.push_back({{"order_id", change->order_id}, {"reason", change->reason}});
    changes.push_back(std::move(*change));
  }
  const auto answers = tx.exec_prepared("update_order_status_all", array.dump(), target_status_);
  std::vector<consumer::Outcome> outcomes;
  outcomes.reserve(events.size());
  for (std::size_t i = 0; i < events.size() && i < static_cast<std::size_t>(answers.size()); ++i)
    outcomes.push_back(outcome_of(answers[static_cast<pqxx::result::size_type>(i)],
                                  changes[i].order_id, events[i]->subject));
  return outcomes;  // fewer answers than events: the runtime reruns the batch one by one
}

}  // namespace choreo::order_service
