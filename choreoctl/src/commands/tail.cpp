#include <chrono>
#include <mutex>

#include "bus/bus_settings.hpp"
#include "bus/jetstream.hpp"
#include "bus/received_message.hpp"
#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "db/connections_by_url.hpp"
#include "db/service_databases.hpp"
#include "events/event.hpp"
#include "inspect/live_event.hpp"
#include "inspect/timeline_store.hpp"
#include "runtime/shutdown_signal.hpp"
#include "runtime/time_text.hpp"

namespace choreo::ctl {
namespace {

constexpr std::chrono::seconds kNatsConnectTimeout{5};

int run_tail(const CommandContext& context) {
  const auto parsed = parse_args(context.args, {"order"}, 1, {"json"});
  // Before any thread exists (the NATS client's): Ctrl-C and SIGTERM end the tail through it.
  runtime::ShutdownSignal shutdown;
  const auto subject = parsed.positionals.empty() ? std::string("events.>") : parsed.positionals[0];
  std::string order_id;
  if (const auto order = parsed.option("order")) {
    order_id = *order;
    if (!events::is_uuid(order_id)) {  // an identifier: the events carry the order's id
      db::ConnectionsByUrl connections;
      const auto found =
          inspect::find_order_id(db::service_databases(context.env), connections, order_id);
      if (!found) {
        context.err << "choreoctl tail: no order " << order_id << "\n";
        return kExitFailure;
      }
      order_id = *found;
    }
  }
  const bool json = parsed.flag("json");

  const auto settings = bus::load_nats_settings(context.env, "choreoctl");
  bus::JetStreamClient bus(settings);
  if (!bus.wait_until_connected(kNatsConnectTimeout)) {
    context.err << "choreoctl tail: NATS is not reachable (check NATS_URL)\n";
    return kExitFailure;
  }

  std::mutex out_mutex;
  long long shown = 0;
  auto subscription = bus.subscribe(subject, [&](const bus::CoreMessage& message) {
    const auto event = inspect::read_live_event(runtime::now_ns(), message.subject, message.data,
                                                bus::message_headers(message.raw));
    if (!order_id.empty() && event.order_id != order_id)
      return;
    std::lock_guard lock(out_mutex);
    context.out << (json ? inspect::live_event_json(event) : inspect::live_event_line(event))
                << "\n"
                << std::flush;
    ++shown;
  });
  // A request on the same connection is answered only after the server has the subscription, so
  // "listening" below is true when it is printed (a script may start its orders then).
  try {
    bus.stream_state(bus::events_stream(settings).name);
  } catch (const std::exception&) {
    // No stream yet: the subscription stands all the same.
  }
  context.err << "choreoctl tail: listening on " << subject
              << (order_id.empty() ? "" : " for order " + order_id) << " (Ctrl-C to stop)\n"
              << std::flush;
  shutdown.wait();
  subscription.reset();  // waits for a handler call in progress
  std::lock_guard lock(out_mutex);
  context.err << "choreoctl tail: " << shown << " event(s) shown\n";
  return kExitOk;
}

}  // namespace

Command tail_command() {
  return Command{
      "tail", "tail [SUBJECT] [--order ID|IDENTIFIER] [--json]",
      "live events, one line each, until interrupted (the `nats sub 'events.>'` of this system)",
      "Subscribes to SUBJECT (default events.>, wildcards allowed) on NATS_URL and prints each\n"
      "event as it is published: time, subject, order, the payload's telling fields, event id\n"
      "and trace id. --order: only that order's events (an identifier is looked up through the\n"
      "order service's database). --json: one JSON object per line. Ends on Ctrl-C or SIGTERM\n"
      "with exit status 0.",
      run_tail};
}

}  // namespace choreo::ctl
