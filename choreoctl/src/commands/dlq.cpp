#include <charconv>
#include <chrono>
#include <pqxx/pqxx>

#include "bus/bus_settings.hpp"
#include "bus/jetstream.hpp"
#include "cli/dispatch.hpp"
#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "dlq/dead_letter_report.hpp"
#include "dlq/dead_letter_store.hpp"
#include "dlq/replay_plan.hpp"
#include "dlq/replay_publisher.hpp"
#include "runtime/fault_points.hpp"

namespace choreo::ctl {
namespace {

// The services' default (consumer_settings.hpp); an operator whose services run with another
// INBOX_RETENTION sets the same value for choreoctl.
constexpr std::chrono::hours kDefaultInboxRetention{24 * 7};
constexpr std::chrono::seconds kNatsConnectTimeout{5};

std::string database_url(const config::EnvReader& env) {
  return env.required("DATABASE_URL",
                      "PostgreSQL URL, e.g. postgresql://orders:orders@127.0.0.1:55432/orders");
}

int run_list(const CommandContext& context, const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {"consumer", "limit"}, 0, {"all", "json"});
  dlq::ListFilter filter;
  filter.consumer = parsed.option("consumer");
  filter.include_replayed = parsed.flag("all");
  if (const auto limit = parsed.option("limit")) {
    int value = 0;
    const auto [end, error] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (error != std::errc() || end != limit->data() + limit->size() || value < 1 ||
        value > dlq::kMaxListLimit) {
      throw UsageError("--limit takes a number from 1 to " + std::to_string(dlq::kMaxListLimit));
    }
    filter.limit = value;
  }

  pqxx::connection connection(database_url(context.env));
  pqxx::read_transaction tx(connection, "dlq_list");
  const auto letters = dlq::list_dead_letters(tx, filter);
  if (parsed.flag("json")) {
    dlq::print_json(letters, context.out);
  } else {
    dlq::print_table(letters, context.out);
  }
  if (letters.size() == static_cast<std::size_t>(filter.limit)) {
    context.err << "showing the newest " << filter.limit << "; --limit N shows more\n";
  }
  return kExitOk;
}

long long parse_id(const std::string& text) {
  long long id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 1)
    throw UsageError("ID is the number in the first column of `choreoctl dlq list`");
  return id;
}

// The safe order, each step for a reason:
//  1. lock the row (FOR UPDATE): concurrent replays of one row take turns, and the second one
//     sees the first one's replayed_at and refuses;
//  2. publish under Nats-Msg-Id "replay-<id>-<replays + 1>" and wait for the stream's ack;
//  3. mark the row replayed and commit.
// A crash between 2 and 3 leaves the row unmarked, so the operator replays again: within the
// stream's duplicate window the same Nats-Msg-Id is dropped by the server; after it, the
// consumer's inbox already holds the original event id and acknowledges the second copy as a
// repeat. Marking before publishing would instead lose the replay on such a crash.
int run_replay(const CommandContext& context, const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {}, 1, {"force"});
  if (parsed.positionals.empty())
    throw UsageError("which dead letter? (the ID column of `choreoctl dlq list`)");
  const auto id = parse_id(parsed.positionals.front());
  const auto retention = context.env.duration_or("INBOX_RETENTION", kDefaultInboxRetention);
  const auto faults = runtime::FaultPoints::parse(context.env.string_or("FAULT_POINT", ""));

  pqxx::connection connection(database_url(context.env));
  pqxx::work tx(connection, "dlq_replay");
  const auto letter = dlq::lock_dead_letter(tx, id, retention);
  if (!letter) {
    context.err << "choreoctl dlq: no dead letter " << id << "\n";
    return kExitFailure;
  }
  if (const auto refusal = dlq::replay_refusal(*letter, parsed.flag("force"))) {
    context.err << "choreoctl dlq: " << *refusal << "\n";
    return kExitFailure;
  }
  const auto message = dlq::replay_message(*letter);

  bus::JetStreamClient bus(bus::load_nats_settings(context.env, "choreoctl"));
  const auto published = dlq::publish_replay(bus, message, kNatsConnectTimeout);
  if (!published.stored) {
    context.err << "choreoctl dlq: dead letter " << id
                << " not replayed: " << one_line(published.error) << "\n";
    return kExitFailure;
  }
  faults.reach("after_replay_publish_before_mark");
  std::vector<long long> others;
  try {
    others = dlq::mark_replayed(tx, *letter, message.event_id);
    tx.commit();
  } catch (const std::exception& error) {
    context.err << "choreoctl dlq: dead letter " << id << " was published (stream sequence "
                << published.sequence << ") but not marked replayed: " << one_line(error.what())
                << "; replaying it again is safe\n";
    return kExitFailure;
  }

  context.out << "replayed dead letter " << id << " (" << letter->consumer << ", "
              << letter->subject << ", event " << message.event_id << ") as stream message "
              << published.sequence << " (Nats-Msg-Id " << message.msg_id << ")";
  if (published.duplicate)
    context.out << "; the stream already had it from an interrupted replay";
  context.out << "\n";
  if (!others.empty()) {
    context.out << "it reaches the other consumers that dead-lettered this event too; also marked "
                   "replayed:";
    for (const auto other : others)
      context.out << " " << other;
    context.out << "\n";
  }
  return kExitOk;
}

int run_dlq(const CommandContext& context) {
  if (context.args.empty())
    throw UsageError("dlq needs a subcommand: list or replay");
  const auto& verb = context.args.front();
  const std::vector<std::string> rest(context.args.begin() + 1, context.args.end());
  if (verb == "list")
    return run_list(context, rest);
  if (verb == "replay")
    return run_replay(context, rest);
  throw UsageError("unknown dlq subcommand \"" + verb + "\" (list or replay)");
}

}  // namespace

Command dlq_command() {
  return Command{
      "dlq", "dlq list [--consumer C] [--all] [--json] [--limit N] | dlq replay ID [--force]",
      "list dead letters (tb_dead_letter), or re-publish one once its cause is fixed",
      "list: the dead letters not yet replayed, newest first (--all: replayed ones too;\n"
      "--consumer: one durable's only; --json: every field, payload included; --limit: default\n"
      "100). Reads DATABASE_URL.\n"
      "replay ID: publishes the message again on its original subject, under a new Nats-Msg-Id\n"
      "(replay-ID-N) with the original event id in Choreo-Event-Id, and marks it replayed.\n"
      "Consumers that processed the original recognise the event id in their inbox and do\n"
      "nothing; the consumer that gave up processes it. Refuses a row already replayed, or\n"
      "one older than INBOX_RETENTION (default 168h, as the services'), unless --force.\n"
      "Reads DATABASE_URL, NATS_URL, INBOX_RETENTION; honours FAULT_POINT\n"
      "(after_replay_publish_before_mark) for tests.",
      run_dlq};
}

}  // namespace choreo::ctl
