#include "inspect/timeline_store.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "dlq/dead_letter_store.hpp"
#include "events/event.hpp"
#include "runtime/service_names.hpp"

namespace choreo::ctl::inspect {
namespace {

std::string order_columns(pqxx::transaction_base& tx, const std::string& schema) {
  const auto s = tx.quote_name(schema);
  return "SELECT o.id::text, o.identifier, o.status, o.total::text, o.failure_reason, "
         "extract(epoch FROM o.created_at)::float8 * 1000, o.trace_parent, "
         "p.payment_id::text, p.amount::text, p.status, p.provider_id, "
         "sh.carrier, sh.tracking_number, sh.label_id FROM " +
         s + ".tb_order o LEFT JOIN " + s + ".tb_order_payment p ON p.fk_order = o.pk_order " +
         "LEFT JOIN " + s + ".tb_order_shipment sh ON sh.fk_order = o.pk_order ";
}

std::optional<std::string> text_or_null(const pqxx::field& field) {
  if (field.is_null())
    return std::nullopt;
  return field.as<std::string>();
}

OrderSummary read_order(const pqxx::row& row) {
  OrderSummary order;
  order.id = row[0].as<std::string>();
  order.identifier = row[1].as<std::string>();
  order.status = row[2].as<std::string>();
  order.total = row[3].as<std::string>();
  order.failure_reason = text_or_null(row[4]);
  order.created_at_ms = row[5].as<double>();
  order.trace_parent = text_or_null(row[6]);
  if (!row[7].is_null()) {
    order.payment = {
        {"payment_id", row[7].as<std::string>()},
        {"amount", row[8].as<std::string>()},
        {"status", row[9].as<std::string>()},
        {"provider_id", text_or_null(row[10]) ? nlohmann::ordered_json(*text_or_null(row[10]))
                                              : nlohmann::ordered_json(nullptr)}};
  }
  if (!row[11].is_null()) {
    order.shipment = {{"carrier", row[11].as<std::string>()},
                      {"tracking_number", row[12].as<std::string>()},
                      {"label_id", row[13].as<std::string>()}};
  }
  return order;
}

std::optional<OrderSummary> find_order(const std::vector<db::ServiceDatabase>& databases,
                                       db::ConnectionsByUrl& connections,
                                       const std::string& order_ref) {
  const auto& database = db::database_of(databases, std::string(runtime::kServiceNames.front()));
  pqxx::read_transaction tx(connections.to(database.url), "choreoctl_order");
  const auto columns = order_columns(tx, database.schema);
  // Separate statements: casting a non-UUID to uuid fails even in a branch that is not taken.
  auto rows = events::is_uuid(order_ref)
                  ? tx.exec_params(columns + "WHERE o.id = $1::uuid", order_ref)
                  : pqxx::result();
  if (rows.empty())
    rows = tx.exec_params(columns + "WHERE o.identifier = $1", order_ref);
  if (rows.empty())
    return std::nullopt;
  return read_order(rows[0]);
}

std::vector<TimelineEvent> load_events(const db::ServiceDatabase& database,
                                       db::ConnectionsByUrl& connections,
                                       const std::string& order_id) {
  pqxx::read_transaction tx(connections.to(database.url), "choreoctl_order_events");
  const auto rows = tx.exec_params(
      "SELECT stream_seq, event_type, identifier, "
      "extract(epoch FROM coalesce(published_at, recorded_at))::float8 * 1000, "
      "coalesce(trace_id, ''), deliveries, data::text FROM " +
          tx.quote_name(database.schema) +
          ".tb_event_log WHERE order_id = $1::uuid ORDER BY stream_seq",
      order_id);
  std::vector<TimelineEvent> events;
  for (const auto& row : rows) {
    TimelineEvent event;
    event.stream_sequence = row[0].as<long long>();
    event.subject = row[1].as<std::string>();
    event.event_id = row[2].as<std::string>();
    event.at_ms = row[3].as<double>();
    event.trace_id = row[4].as<std::string>();
    if (!row[5].is_null())
      event.monitor_deliveries = row[5].as<long long>();
    event.data = nlohmann::ordered_json::parse(row[6].as<std::string>(), nullptr, false);
    events.push_back(std::move(event));
  }
  return events;
}

// Which of this service's consumers took which of the events. The inbox's key is (consumer,
// event_id) and it holds a week of every event: the consumers present are found first by a
// skip scan of that key (a few index probes), so the lookup by event stays on the index.
void add_handlings(const db::ServiceDatabase& database, db::ConnectionsByUrl& connections,
                   const std::string& ids_json, std::map<std::string, TimelineEvent*>& by_id) {
  pqxx::read_transaction tx(connections.to(database.url), "choreoctl_order_inbox");
  const auto inbox = tx.quote_name(database.schema) + ".tb_inbox";
  const auto rows = tx.exec_params(
      "WITH RECURSIVE consumers AS ("
      " SELECT min(consumer) AS consumer FROM " +
          inbox + " UNION ALL SELECT (SELECT min(consumer) FROM " + inbox +
          " WHERE consumer > c.consumer) FROM consumers c WHERE c.consumer IS NOT NULL) "
          "SELECT i.consumer, i.event_id, i.deliveries, "
          "extract(epoch FROM i.processed_at)::float8 * 1000 FROM " +
          inbox +
          " i WHERE i.consumer = ANY (ARRAY(SELECT consumer FROM consumers "
          "WHERE consumer IS NOT NULL)) "
          "AND i.event_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))",
      ids_json);
  for (const auto& row : rows) {
    const auto found = by_id.find(row[1].as<std::string>());
    if (found == by_id.end())
      continue;
    found->second->handled_by.push_back(
        {database.service, row[0].as<std::string>(), row[2].as<long long>(), row[3].as<double>()});
  }
}

}  // namespace

std::optional<std::string> find_order_id(const std::vector<db::ServiceDatabase>& databases,
                                         db::ConnectionsByUrl& connections,
                                         const std::string& order_ref) {
  const auto order = find_order(databases, connections, order_ref);
  if (!order)
    return std::nullopt;
  return order->id;
}

std::optional<OrderTimeline> load_timeline(const std::vector<db::ServiceDatabase>& databases,
                                           db::ConnectionsByUrl& connections,
                                           const std::string& order_ref) {
  auto order = find_order(databases, connections, order_ref);
  if (!order)
    return std::nullopt;
  OrderTimeline timeline;
  timeline.order = std::move(*order);
  timeline.events =
      load_events(db::database_of(databases, "event-monitor"), connections, timeline.order.id);

  std::vector<std::string> ids;
  std::map<std::string, TimelineEvent*> by_id;
  for (auto& event : timeline.events) {
    ids.push_back(event.event_id);
    by_id[event.event_id] = &event;
  }
  const auto ids_json = nlohmann::json(ids).dump();
  for (const auto& database : databases) {
    if (!ids.empty())
      add_handlings(database, connections, ids_json, by_id);
    pqxx::read_transaction tx(connections.to(database.url), "choreoctl_order_dead_letters");
    for (auto& letter : dlq::dead_letters_of_events(tx, {database.service, database.schema}, ids))
      timeline.dead_letters.push_back(std::move(letter));
  }
  finish_timeline(timeline);
  return timeline;
}

}  // namespace choreo::ctl::inspect
