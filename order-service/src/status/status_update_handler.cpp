#include "status/status_update_handler.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "events/payloads.hpp"
#include "events/subjects.hpp"

namespace choreo::order_service {

StatusUpdateHandler::StatusUpdateHandler(std::string target_status)
    : target_status_(std::move(target_status)) {}

std::vector<db::PreparedStatement> StatusUpdateHandler::prepared_statements() {
  return {{"update_order_status",
           "SELECT status, message FROM fn_update_order_status($1::uuid, $2, NULLIF($3, ''))"}};
}

consumer::Outcome StatusUpdateHandler::handle(const events::Event& event,
                                              pqxx::transaction_base& tx) {
  std::string order_id;
  std::string reason;
  if (event.subject == events::subjects::kOrderFailed) {
    auto failed = events::parse_order_failed(event.payload);
    order_id = std::move(failed.order_id);
    reason = std::move(failed.reason);
  } else if (event.subject == events::subjects::kOrderShipped) {
    order_id = events::parse_order_shipped(event.payload).order_id;
  } else if (event.subject == events::subjects::kPaymentCharged) {
    order_id = events::parse_payment_charged(event.payload).order_id;
  } else {
    return consumer::Outcome::dead_letter("no status follows from " + event.subject);
  }
  const auto row = tx.exec_prepared1("update_order_status", order_id, target_status_, reason);
  const auto result = row[0].as<std::string>();
  if (result == "updated")
    return consumer::Outcome::done();
  if (result == "noop") {
    spdlog::debug("order {}: {} does not raise its status; acknowledged as a no-op", order_id,
                  event.subject);
    return consumer::Outcome::done();
  }
  if (result == "not_found") {
    // The order's row is committed before its first event is published, so this is not a race:
    // retried (in case of replication lag) and then dead-lettered.
    return consumer::Outcome::retry("order " + order_id + " does not exist");
  }
  return consumer::Outcome::dead_letter("fn_update_order_status answered " + result + ": " +
                                        (row[1].is_null() ? "" : row[1].as<std::string>()));
}

}  // namespace choreo::order_service
