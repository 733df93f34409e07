#include "event_log_writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <unordered_set>

#include "events/event.hpp"

namespace choreo::event_monitor {

std::vector<db::PreparedStatement> EventLogWriter::prepared_statements() {
  // The order is known by the id its payload carries: the trail reads the same whatever database
  // the order service's own tables are on.
  // published_at is the stream's time for the event, sent as microseconds since the epoch (0:
  // unknown); trace_id and deliveries serve the operator's timeline (`choreoctl order`).
  return {{"event_log_insert",
           "INSERT INTO tb_event_log (identifier, event_type, order_id, data, stream_seq, "
           "published_at, trace_id, deliveries) "
           "VALUES ($1, $2, NULLIF($3, '')::uuid, $4::jsonb, $5, "
           "to_timestamp(NULLIF($6::bigint, 0) / 1e6), NULLIF($7, ''), $8::int) "
           "ON CONFLICT (identifier) DO NOTHING"},
          // The same for a whole batch in one statement: the rows travel as one JSON array (one
          // parameter of any length, JSON's quoting instead of hand-escaped array literals). A
          // repeated identifier, even within the batch, inserts nothing, so RETURNING names each
          // newly recorded event once.
          {"event_log_insert_all",
           "INSERT INTO tb_event_log (identifier, event_type, order_id, data, stream_seq, "
           "published_at, trace_id, deliveries) "
           "SELECT e.identifier, e.event_type, NULLIF(e.order_id, '')::uuid, e.data, e.stream_seq, "
           "to_timestamp(NULLIF(e.published_us, 0) / 1e6), NULLIF(e.trace_id, ''), e.deliveries "
           "FROM jsonb_to_recordset($1::jsonb) AS e(identifier text, event_type text, "
           "order_id text, data jsonb, stream_seq bigint, published_us bigint, trace_id text, "
           "deliveries int) "
           "ON CONFLICT (identifier) DO NOTHING RETURNING identifier"}};
}

bool is_alert_subject(std::string_view subject) {
  return subject.find("failed") != std::string_view::npos;
}

namespace {

// The order's id as tb_event_log.order_id takes it: "" (NULL) unless it is a UUID.
std::string order_uuid_of(const events::Event& event) {
  const auto order_id = event.order_id();
  return order_id && events::is_uuid(*order_id) ? *order_id : "";
}

long long published_us_of(const events::Event& event) {
  return event.published_at_ns / 1000;
}

std::string trace_id_of(const events::Event& event) {
  return event.trace ? event.trace->trace_id : "";
}

long long deliveries_of(const events::Event& event) {
  return static_cast<long long>(std::min<std::uint64_t>(event.delivery_attempt, 2'147'483'647));
}

consumer::Outcome recorded(const events::Event& event) {
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

}  // namespace

consumer::Outcome EventLogWriter::handle(const events::Event& event, pqxx::transaction_base& tx) {
  const auto result =
      tx.exec_prepared("event_log_insert", event.id, event.subject, order_uuid_of(event),
                       event.payload.dump(), static_cast<long long>(event.stream_sequence),
                       published_us_of(event), trace_id_of(event), deliveries_of(event));
  if (result.affected_rows() == 0)
    return consumer::Outcome::duplicate();
  return recorded(event);
}

std::vector<consumer::Outcome> EventLogWriter::handle_all(
    const std::vector<const events::Event*>& events, pqxx::transaction_base& tx) {
  auto rows = nlohmann::json::array();
  for (const auto* event : events) {
    rows.push_back({{"identifier", event->id},
                    {"event_type", event->subject},
                    {"order_id", order_uuid_of(*event)},
                    {"data", event->payload},
                    {"stream_seq", event->stream_sequence},
                    {"published_us", published_us_of(*event)},
                    {"trace_id", trace_id_of(*event)},
                    {"deliveries", deliveries_of(*event)}});
  }
  std::unordered_set<std::string> inserted;
  for (const auto& row : tx.exec_prepared("event_log_insert_all", rows.dump()))
    inserted.insert(row[0].as<std::string>());
  std::vector<consumer::Outcome> outcomes;
  outcomes.reserve(events.size());
  for (const auto* event : events) {
    // erase: a second copy of one event within the batch is a repeat of the first.
    outcomes.push_back(inserted.erase(event->id) == 1 ? recorded(*event)
                                                      : consumer::Outcome::duplicate());
  }
  return outcomes;
}

}  // namespace choreo::event_monitor
