#pragma once

#include <string_view>
#include <vector>

#include "consumer/event_handler.hpp"
#include "db/connection_pool.hpp"

namespace choreo::event_monitor {

// Records every event in tb_event_log, once per event id: the audit trail the GraphQL
// `Order.events` field and operators read. The row's unique identifier is the event id, so a
// redelivery finds it and writes nothing (no inbox row needed). Failures raise an alert.
class EventLogWriter final : public consumer::EventHandler {
 public:
  static std::vector<db::PreparedStatement> prepared_statements();

  consumer::Outcome handle(const events::Event& event, pqxx::transaction_base& tx) override;
  // One multi-row INSERT for the whole batch.
  std::vector<consumer::Outcome> handle_all(const std::vector<const events::Event*>& events,
                                            pqxx::transaction_base& tx) override;
};

// Subjects that warrant an alert: any failure in the choreography.
bool is_alert_subject(std::string_view subject);

}  // namespace choreo::event_monitor
