#include "operator_views.hpp"

#include <pqxx/pqxx>

#include "bus/consumer_state_json.hpp"
#include "runtime/time_text.hpp"

namespace choreo::event_monitor {
namespace {

// A time as ISO-8601 in UTC with milliseconds, whatever the session's TimeZone says.
std::string iso(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

// recorded_at is BRIN-indexed and only grows: a window is a cheap range of the newest pages.
// The last kRecentSeconds make the live rate on each of the dashboard's edges.
constexpr int kRecentSeconds = 10;
const std::string kEventsBySubject =
    "SELECT event_type, count(*), count(*) FILTER (WHERE recorded_at > now() - make_interval("
    "secs => " +
    std::to_string(kRecentSeconds) +
    ")) FROM tb_event_log "
    "WHERE recorded_at > now() - make_interval(secs => $1) GROUP BY event_type ORDER BY 1";

// Each order shipped in the window, against its own creation: the index on (order_id,
// stream_seq) finds the creation; the stream's times (published_at) where recorded.
const std::string kLatency =
    "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), "
    "percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM ("
    " SELECT extract(epoch FROM coalesce(s.published_at, s.recorded_at) - "
    " coalesce(c.published_at, c.recorded_at)) * 1000 AS ms FROM tb_event_log s"
    " JOIN tb_event_log c ON c.order_id = s.order_id AND c.event_type = 'events.order.created'"
    " WHERE s.event_type = 'events.order.shipped'"
    " AND s.recorded_at > now() - make_interval(secs => $1)) AS shipped";

// The newest creations, by the primary key backwards (every sixth row or so is one), each with
// its latest status change.
const std::string kRecentOrders =
    "SELECT c.order_id::text, c.data->>'identifier', " +
    iso("coalesce(c.published_at, c.recorded_at)") +
    ", coalesce((SELECT l.data->>'status' FROM tb_event_log l WHERE l.order_id = c.order_id"
    " AND l.event_type = 'events.order.status_updated' ORDER BY l.stream_seq DESC LIMIT 1),"
    " 'pending') FROM tb_event_log c WHERE c.event_type = 'events.order.created'"
    " AND c.order_id IS NOT NULL ORDER BY c.pk_event_log DESC LIMIT $1";

const std::string kRecentFailures =
    "SELECT event_type, coalesce(order_id::text, ''), identifier, " + iso("recorded_at") +
    ", data::text FROM tb_event_log WHERE event_type LIKE '%failed'"
    " AND recorded_at > now() - make_interval(secs => $1) ORDER BY pk_event_log DESC LIMIT $2";

const std::string kOrderEvents =
    "SELECT stream_seq, event_type, identifier, " + iso("coalesce(published_at, recorded_at)") +
    ", extract(epoch FROM coalesce(published_at, recorded_at))::float8 * 1000,"
    " coalesce(trace_id, ''), deliveries, data::text FROM tb_event_log"
    " WHERE order_id = $1::uuid ORDER BY stream_seq";

constexpr int kRecentOrdersShown = 20;
constexpr int kRecentFailuresShown = 20;

nlohmann::ordered_json json_or_text(const std::string& text) {
  auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
  return parsed.is_discarded() ? nlohmann::ordered_json(text) : parsed;
}

}  // namespace

OperatorViews::OperatorViews(std::chrono::seconds window) : window_(window) {}

std::vector<db::PreparedStatement> OperatorViews::prepared_statements() {
  return {{"operator_events_by_subject", kEventsBySubject},
          {"operator_latency", kLatency},
          {"operator_recent_orders", kRecentOrders},
          {"operator_recent_failures", kRecentFailures},
          {"operator_order_events", kOrderEvents}};
}

nlohmann::ordered_json OperatorViews::overview(
    pqxx::transaction_base& tx, const std::vector<bus::ConsumerState>& consumers) const {
  const auto now = runtime::now_ns();
  const double seconds = static_cast<double>(window_.count());
  const auto window = static_cast<long long>(window_.count());
  nlohmann::ordered_json json;
  json["collected_at"] = runtime::iso_time_from_ns(now);
  json["window_seconds"] = window;

  auto lag = nlohmann::ordered_json::array();
  for (const auto& consumer : consumers)
    lag.push_back(bus::consumer_json(consumer, now));
  json["consumers"] = std::move(lag);

  auto subjects = nlohmann::ordered_json::object();
  for (const auto& row : tx.exec_prepared("operator_events_by_subject", window)) {
    const auto count = row[1].as<long long>();
    subjects[row[0].as<std::string>()] = {
        {"count", count},
        {"per_second", static_cast<double>(count) / seconds},
        {"recent_per_second", row[2].as<double>() / kRecentSeconds}};
  }
  const auto rate = [&](const char* subject) {
    return subjects.contains(subject) ? subjects[subject]["per_second"].get<double>() : 0.0;
  };
  json["throughput"] = {{"created_per_second", rate("events.order.created")},
                        {"shipped_per_second", rate("events.order.shipped")},
                        {"failed_per_second", rate("events.order.failed")}};
  json["events"] = std::move(subjects);

  const auto latency = tx.exec_prepared1("operator_latency", window);
  const auto quantile = [&](int column) -> nlohmann::ordered_json {
    if (latency[column].is_null())
      return nullptr;
    return latency[column].as<double>();
  };
  json["latency"] = {{"orders", latency[0].as<long long>()},
                     {"created_to_shipped_p50_ms", quantile(1)},
                     {"created_to_shipped_p99_ms", quantile(2)}};

  auto orders = nlohmann::ordered_json::array();
  for (const auto& row : tx.exec_prepared("operator_recent_orders", kRecentOrdersShown)) {
    orders.push_back({{"order_id", row[0].as<std::string>()},
                      {"identifier", row[1].is_null() ? "" : row[1].as<std::string>()},
                      {"created_at", row[2].as<std::string>()},
                      {"status", row[3].as<std::string>()}});
  }
  json["recent_orders"] = std::move(orders);

  auto failures = nlohmann::ordered_json::array();
  for (const auto& row :
       tx.exec_prepared("operator_recent_failures", window, kRecentFailuresShown)) {
    failures.push_back({{"subject", row[0].as<std::string>()},
                        {"order_id", row[1].as<std::string>()},
                        {"event_id", row[2].as<std::string>()},
                        {"at", row[3].as<std::string>()},
                        {"data", json_or_text(row[4].as<std::string>())}});
  }
  json["recent_failures"] = std::move(failures);
  return json;
}

std::optional<nlohmann::ordered_json> OperatorViews::order(pqxx::transaction_base& tx,
                                                           const std::string& order_id) const {
  const auto rows = tx.exec_prepared("operator_order_events", order_id);
  if (rows.empty())
    return std::nullopt;
  nlohmann::ordered_json json;
  json["order_id"] = order_id;
  auto events = nlohmann::ordered_json::array();
  std::optional<double> first_ms;
  std::optional<double> previous_ms;
  std::string trace_id;
  for (const auto& row : rows) {
    const auto at_ms = row[4].as<double>();
    nlohmann::ordered_json event;
    event["stream_seq"] = row[0].as<long long>();
    event["subject"] = row[1].as<std::string>();
    event["event_id"] = row[2].as<std::string>();
    event["at"] = row[3].as<std::string>();
    event["since_previous_ms"] = previous_ms
                                     ? nlohmann::ordered_json(std::max(0.0, at_ms - *previous_ms))
                                     : nlohmann::ordered_json(nullptr);
    const auto trace = row[5].as<std::string>();
    event["trace_id"] =
        trace.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(trace);
    event["monitor_deliveries"] = row[6].is_null() ? nlohmann::ordered_json(nullptr)
                                                   : nlohmann::ordered_json(row[6].as<long long>());
    event["data"] = json_or_text(row[7].as<std::string>());
    events.push_back(std::move(event));
    if (trace_id.empty())
      trace_id = trace;
    if (!first_ms)
      first_ms = at_ms;
    previous_ms = at_ms;
  }
  json["trace_id"] =
      trace_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(trace_id);
  json["events"] = std::move(events);
  json["duration_ms"] = std::max(0.0, *previous_ms - *first_ms);
  return json;
}

}  // namespace choreo::event_monitor
