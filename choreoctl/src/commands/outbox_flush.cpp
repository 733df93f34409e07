#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/connection>

#include "bus/bus_settings.hpp"
#include "bus/jetstream.hpp"
#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "db/connection_pool.hpp"
#include "outbox/outbox_relay.hpp"
#include "runtime/fault_points.hpp"

namespace choreo::ctl {
namespace {

int run_outbox_flush(const CommandContext& context) {
  const auto args = parse_args(context.args, {"source", "timeout"}, 0, {"json"});
  const auto source = args.option("source");
  if (!source)
    throw UsageError("--source is required (e.g. --source order-service)");
  const auto timeout = config::parse_duration(args.option("timeout").value_or("30s"));
  if (!timeout)
    throw UsageError("--timeout takes a duration such as 30s");

  db::PoolSettings pool_settings;
  pool_settings.url = context.env.required(
      "DATABASE_URL", "PostgreSQL URL, e.g. postgresql://orders:orders@127.0.0.1:55432/orders");
  pool_settings.size = 1;
  pool_settings.application_name = "choreoctl";
  db::ConnectionPool pool(pool_settings);
  const auto nats = bus::load_nats_settings(context.env, "choreoctl");
  bus::JetStreamClient bus(nats);
  bus.ensure_stream(bus::events_stream(nats));
  const auto faults = runtime::FaultPoints::parse(context.env.string_or("FAULT_POINT", ""));
  prometheus::Registry unused_metrics;
  outbox::OutboxRelaySettings settings;
  settings.source = *source;
  outbox::OutboxRelay relay(settings, pool, bus, faults, unused_metrics);

  auto connection = pool.open_dedicated();
  // Same lock as the services' relays: a flush never races a running relay of that source.
  if (!outbox::try_lock_relay(*connection, *source)) {
    context.err << "a relay for " << *source << " is running; it publishes the outbox itself\n";
    return kExitFailure;
  }
  const auto published = relay.drain(*connection, std::chrono::steady_clock::now() + *timeout);
  if (args.flag("json"))
    context.out << nlohmann::ordered_json{{"source", *source}, {"published", published}}.dump(2)
                << "\n";
  else
    context.out << "published " << published << " outbox row(s) of " << *source << "\n";
  return kExitOk;
}

}  // namespace

Command outbox_flush_command() {
  return Command{
      "outbox-flush", "outbox-flush --source SOURCE [--timeout 30s] [--json]",
      "publish a service's unpublished outbox rows now (e.g. while the service is down)",
      "Reads DATABASE_URL and NATS_URL. Takes the same lock as the service's own relay, so it\n"
      "refuses to run while one is active. Honours FAULT_POINT like the services do.",
      run_outbox_flush};
}

}  // namespace choreo::ctl
