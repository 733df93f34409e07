#include <chrono>

#include "bus/bus_settings.hpp"
#include "bus/jetstream.hpp"
#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "inspect/consumer_report.hpp"
#include "runtime/time_text.hpp"

namespace choreo::ctl {
namespace {

constexpr std::chrono::seconds kNatsConnectTimeout{5};

int run_consumers(const CommandContext& context) {
  const auto parsed = parse_args(context.args, {}, 0, {"json"});
  const auto settings = bus::load_nats_settings(context.env, "choreoctl");
  const auto stream = bus::events_stream(settings).name;
  bus::JetStreamClient bus(settings);
  if (!bus.wait_until_connected(kNatsConnectTimeout)) {
    context.err << "choreoctl consumers: NATS is not reachable (check NATS_URL)\n";
    return kExitFailure;
  }
  const auto consumers = bus.consumer_states(stream);
  const auto now = runtime::now_ns();
  if (parsed.flag("json")) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& consumer : consumers)
      list.push_back(bus::consumer_json(consumer, now));
    context.out << list.dump(2) << "\n";
  } else {
    inspect::print_consumer_table(consumers, now, context.out);
  }
  return kExitOk;
}

}  // namespace

Command consumers_command() {
  return Command{
      "consumers", "consumers [--json]",
      "the stream's durables with their lag (as `nats consumer report events`)",
      "From the JetStream API (NATS_URL): per durable its filter subject, unprocessed messages\n"
      "(pending), ack pending against its limit, redelivered, waiting pull requests and its\n"
      "last delivery. --json: a list with one object per durable.",
      run_consumers};
}

}  // namespace choreo::ctl
