#include "inspect/status_collector.hpp"

#include <future>
#include <pqxx/pqxx>

#include "bus/bus_settings.hpp"
#include "bus/jetstream.hpp"
#include "cli/dispatch.hpp"
#include "db/connections_by_url.hpp"
#include "db/service_databases.hpp"
#include "outbox/outbox_backlog.hpp"
#include "runtime/service_names.hpp"
#include "runtime/time_text.hpp"

namespace choreo::ctl::inspect {
namespace {

// The event monitor only records; it has no events of its own to publish.
std::string database_label(const db::ServiceDatabase& database) {
  return database.service + "'s database (" + runtime::database_url_variable(database.service) +
         " or DATABASE_URL)";
}

void collect_stream(const config::EnvReader& env, std::chrono::milliseconds timeout,
                    StatusReport& report) {
  const auto settings = bus::load_nats_settings(env, "choreoctl");
  report.stream_name = bus::events_stream(settings).name;
  try {
    bus::JetStreamClient bus(settings);
    // The client connects in the background; give it the timeout before calling NATS down.
    if (!bus.wait_until_connected(timeout)) {
      report.unreachable.push_back(
          "NATS (NATS_URL): no connection within " +
          runtime::duration_text(std::chrono::duration<double>(timeout).count()));
      return;
    }
    report.stream = bus.stream_state(report.stream_name);
    report.consumers = bus.consumer_states(report.stream_name);
  } catch (const std::exception& error) {
    report.stream.reset();
    report.unreachable.push_back("the stream " + report.stream_name + ": " +
                                 one_line(error.what()));
  }
}

void collect_tables(const db::ServiceDatabase& database, pqxx::connection& connection,
                    StatusReport& report) {
  pqxx::read_transaction tx(connection, "choreoctl_status");
  const auto schema = tx.quote_name(database.schema);
  if (runtime::publishes_events(database.service)) {
    const auto backlog = outbox::read_outbox_backlog(tx, schema + ".tb_outbox");
    report.outboxes.push_back({database.service, backlog.unpublished, backlog.oldest_age_seconds});
  }
  for (const auto& row :
       tx.exec("SELECT consumer, reason, count(*) FROM " + schema +
               ".tb_dead_letter WHERE replayed_at IS NULL GROUP BY consumer, reason "
               "ORDER BY count(*) DESC, consumer, reason")) {
    report.dead_letters.push_back({database.service, row[0].as<std::string>(),
                                   row[1].as<std::string>(), row[2].as<long long>()});
  }
  if (database.service == runtime::kServiceNames.front()) {
    for (const auto& row :
         tx.exec("SELECT status, count(*) FROM " + schema + ".tb_order GROUP BY status"))
      report.orders_by_status[row[0].as<std::string>()] = row[1].as<long long>();
  }
}

}  // namespace

StatusReport collect_status(const config::EnvReader& env, std::chrono::milliseconds timeout) {
  StatusReport report;
  report.collected_at_ns = runtime::now_ns();

  // The services answer in parallel: five refused or slow ones cost one timeout, not five.
  std::vector<std::future<Readiness>> probes;
  for (const auto& endpoint : service_endpoints(env))
    probes.push_back(std::async(
        std::launch::async, [endpoint, timeout] { return probe_readiness(endpoint, timeout); }));

  const auto databases = db::service_databases(env);
  collect_stream(env, timeout, report);

  db::ConnectionsByUrl connections;
  for (const auto& database : databases) {
    try {
      collect_tables(database, connections.to(database.url), report);
    } catch (const std::exception& error) {
      report.unreachable.push_back(database_label(database) + ": " + one_line(error.what()));
    }
  }
  for (auto& probe : probes)
    report.services.push_back(probe.get());
  return report;
}

}  // namespace choreo::ctl::inspect
