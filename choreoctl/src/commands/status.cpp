#include <nlohmann/json.hpp>

#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "inspect/status_collector.hpp"

namespace choreo::ctl {
namespace {

int run_status(const CommandContext& context) {
  const auto parsed = parse_args(context.args, {"timeout"}, 0, {"json"});
  const auto timeout = config::parse_duration(parsed.option("timeout").value_or("3s"));
  if (!timeout || timeout->count() <= 0)
    throw UsageError("--timeout takes a duration such as 3s");
  const auto report = inspect::collect_status(context.env, *timeout);
  if (parsed.flag("json")) {
    context.out << inspect::status_json(report).dump(2) << "\n";
  } else {
    inspect::print_status(report, context.out);
  }
  if (!report.unreachable.empty()) {
    context.err << "choreoctl status: " << report.unreachable.size()
                << " part(s) of the report could not be collected (see \"Not collected\")\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

Command status_command() {
  return Command{
      "status", "status [--json] [--timeout 3s]",
      "one screen: services' readiness, the stream, each durable's lag, outbox backlogs, dead "
      "letters, orders by status",
      "Asks each service's /readyz (ORDER_SERVICE_URL, INVENTORY_WORKER_URL, PAYMENT_WORKER_URL,\n"
      "SHIPPING_WORKER_URL, EVENT_MONITOR_URL; default http://127.0.0.1:8080 and :9101-:9104),\n"
      "the stream and its consumers (NATS_URL), and each service's tables through its\n"
      "<SERVICE>_DATABASE_URL or DATABASE_URL. Per durable: unprocessed (pending), ack pending\n"
      "against its limit, redelivered, waiting pulls, last delivery. A service that is down,\n"
      "lag and dead letters are findings: the exit status is 0 whenever the report could be\n"
      "collected, 1 when NATS or a database could not be asked. --json: one JSON document.",
      run_status};
}

}  // namespace choreo::ctl
