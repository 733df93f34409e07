#include "event_log_writer.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "events/event.hpp"

namespace choreo::event_monitor {

std::vector<db::PreparedStatement> EventLogWriter::prepared_statements() {
  // fk_order is resolved when the order exists; order_id is kept either way, so the trail still
  // reads right when the monitor runs against a database without the order service's tables'
  // rows (each service on a database of its own, later).
  return {
      {"event_log_insert",
       "INSERT INTO tb_event_log (identifier, event_type, order_id, fk_order, data, stream_seq) "
       "VALUES ($1, $2, NULLIF($3, '')::uuid, "
       "(SELECT pk_order FROM tb_order WHERE id = NULLIF($3, '')::uuid), $4::jsonb, $5) "
       "ON CONFLICT (identifier) DO NOTHING"}};
}

bool is_alert_subject(std::string_view subject) {
  return subject.find("failed") != std::string_view::npos;
}

consumer::Outcome EventLogWriter::handle(const events::Event& event, pqxx::transaction_base& tx) {
  const auto order_id = event.order_id();
  const std::string order_uuid = order_id && events::is_uuid(*order_id) ? *order_id : "";
  const auto result =
      tx.exec_prepared("event_log_insert", event.id, event.subject, order_uuid,
                       event.payload.dump(), static_cast<long long>(event.stream_sequence));
  if (result.affected_rows() == 0)
    return consumer::Outcome::duplicate();
  auto outcome = consumer::Outcome::done();
  if (is_alert_subject(event.subject)) {
    // Logged after commit, once per event, so a rolled-back or repeated delivery raises no alert.
    outcome.after_commit = [subject = event.subject, id = event.id,
                            details = event.payload.dump()] {
      spdlog::warn("ALERT {} event={} details={}", subject, id, details);
    };
  }
  return outcome;
}

}  // namespace choreo::event_monitor
