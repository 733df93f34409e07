#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "db/connections_by_url.hpp"
#include "db/service_databases.hpp"
#include "inspect/timeline_store.hpp"

namespace choreo::ctl {
namespace {

int run_order(const CommandContext& context) {
  const auto parsed = parse_args(context.args, {}, 1, {"json"});
  if (parsed.positionals.empty())
    throw UsageError("which order? (its id or its identifier)");
  const auto& ref = parsed.positionals.front();
  const auto databases = db::service_databases(context.env);
  db::ConnectionsByUrl connections;
  const auto timeline = inspect::load_timeline(databases, connections, ref);
  if (!timeline) {
    context.err << "choreoctl order: no order " << ref << "\n";
    return kExitFailure;
  }
  if (parsed.flag("json")) {
    context.out << inspect::timeline_json(*timeline).dump(2) << "\n";
  } else {
    inspect::print_timeline(*timeline, context.out);
  }
  return kExitOk;
}

}  // namespace

Command order_command() {
  return Command{
      "order", "order ID|IDENTIFIER [--json]",
      "an order's timeline: each event, who handled it after how many deliveries, its trace id",
      "Every event of the order in stream order (from the event monitor's tb_event_log): its\n"
      "subject, when the stream stored it and the time since the step before, which consumer\n"
      "took it after how many deliveries (each worker's inbox), the status changes, the payment\n"
      "and the shipment, any dead letter, the trace id and the whole flow's duration. The order\n"
      "service's own consumers keep no inbox; their part shows as the status changes. Reads\n"
      "each service's tables through its <SERVICE>_DATABASE_URL or DATABASE_URL. --json: one\n"
      "JSON document, with trace_id.",
      run_order};
}

}  // namespace choreo::ctl
