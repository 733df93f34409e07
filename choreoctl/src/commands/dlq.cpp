#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <memory>
#include <pqxx/pqxx>

#include "bus/bus_settings.hpp"
#include "bus/jetstream.hpp"
#include "cli/dispatch.hpp"
#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "dlq/dead_letter_report.hpp"
#include "dlq/dead_letter_sources.hpp"
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

// One connection per database the dead-letter tables are reached through.
class Connections {
 public:
  pqxx::connection& to(const std::string& url) {
    auto& connection = by_url_[url];
    if (!connection)
      connection = std::make_unique<pqxx::connection>(url);
    return *connection;
  }

 private:
  std::map<std::string, std::unique_ptr<pqxx::connection>> by_url_;
};

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

  // Every service's table, newest first across all of them.
  Connections connections;
  std::vector<dlq::DeadLetterRecord> letters;
  for (const auto& source : dlq::dead_letter_sources(context.env)) {
    pqxx::read_transaction tx(connections.to(source.database_url), "dlq_list");
    for (auto& letter : dlq::list_dead_letters(tx, source.table, filter))
      letters.push_back(std::move(letter));
  }
  std::stable_sort(letters.begin(), letters.end(), [](const auto& a, const auto& b) {
    return a.created_at > b.created_at;  // ISO-8601 UTC text sorts as time does
  });
  const bool truncated = letters.size() > static_cast<std::size_t>(filter.limit);
  if (truncated)
    letters.resize(static_cast<std::size_t>(filter.limit));
  if (parsed.flag("json")) {
    dlq::print_json(letters, context.out);
  } else {
    dlq::print_table(letters, context.out);
  }
  if (truncated || letters.size() == static_cast<std::size_t>(filter.limit)) {
    context.err << "showing the newest " << filter.limit << "; --limit N shows more\n";
  }
  return kExitOk;
}

// The safe order, each step for a reason:
//  1. lock the row (FOR UPDATE): concurrent replays of one row take turns, and the second one
//     sees the first one's replayed_at and refuses;
//  2. publish under Nats-Msg-Id "replay-<service>-<id>-<replays + 1>" and wait for the stream's
//     ack;
//  3. mark the row replayed and commit.
// A crash between 2 and 3 leaves the row unmarked, so the operator replays again: within the
// stream's duplicate window the same Nats-Msg-Id is dropped by the server; after it, the
// consumer's inbox already holds the original event id and acknowledges the second copy as a
// repeat. Marking before publishing would instead lose the replay on such a crash.
int run_replay(const CommandContext& context, const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {}, 1, {"force"});
  if (parsed.positionals.empty())
    throw UsageError("which dead letter? (the ID column of `choreoctl dlq list`)");
  const auto ref = dlq::parse_dead_letter_ref(parsed.positionals.front());
  const auto retention = context.env.duration_or("INBOX_RETENTION", kDefaultInboxRetention);
  const auto faults = runtime::FaultPoints::parse(context.env.string_or("FAULT_POINT", ""));
  const auto sources = dlq::dead_letter_sources(context.env);

  // Which service's dead letter this is: the one named, or the only one with that number.
  Connections connections;
  std::vector<const dlq::DeadLetterSource*> holders;
  for (const auto& source : sources) {
    if (ref.service && *ref.service != source.table.service)
      continue;
    pqxx::read_transaction tx(connections.to(source.database_url), "dlq_find");
    if (!tx.exec_params("SELECT 1 FROM " + tx.quote_name(source.table.schema) +
                            ".tb_dead_letter WHERE pk_dead_letter = $1",
                        ref.id)
             .empty()) {
      holders.push_back(&source);
    }
  }
  const auto shown = parsed.positionals.front();
  if (holders.empty()) {
    context.err << "choreoctl dlq: no dead letter " << shown << "\n";
    return kExitFailure;
  }
  if (holders.size() > 1) {
    context.err << "choreoctl dlq: " << shown << " is ambiguous; name one of:";
    for (const auto* holder : holders)
      context.err << " " << holder->table.service << "/" << ref.id;
    context.err << "\n";
    return kExitFailure;
  }
  const auto& source = *holders.front();

  pqxx::work tx(connections.to(source.database_url), "dlq_replay");
  const auto letter = dlq::lock_dead_letter(tx, source.table, ref.id, retention);
  if (!letter) {
    context.err << "choreoctl dlq: no dead letter " << shown << "\n";
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
    context.err << "choreoctl dlq: dead letter " << letter->label()
                << " not replayed: " << one_line(published.error) << "\n";
    return kExitFailure;
  }
  faults.reach("after_replay_publish_before_mark");
  std::vector<dlq::DeadLetterRecord> others;
  try {
    dlq::mark_replayed(tx, source.table, *letter);
    for (auto& other : dlq::mark_same_event_replayed(tx, source.table, *letter, message.event_id))
      others.push_back(std::move(other));
    tx.commit();
  } catch (const std::exception& error) {
    context.err << "choreoctl dlq: dead letter " << letter->label()
                << " was published (stream sequence " << published.sequence
                << ") but not marked replayed: " << one_line(error.what())
                << "; replaying it again is safe\n";
    return kExitFailure;
  }
  // The other services' dead letters of the same event: bookkeeping after the replay is safely
  // recorded (each in its own service's database).
  for (const auto& other_source : sources) {
    if (other_source.table.service == source.table.service)
      continue;
    try {
      pqxx::work other_tx(connections.to(other_source.database_url), "dlq_mark_same_event");
      for (auto& other :
           dlq::mark_same_event_replayed(other_tx, other_source.table, *letter, message.event_id))
        others.push_back(std::move(other));
      other_tx.commit();
    } catch (const std::exception& error) {
      context.err << "choreoctl dlq: could not mark " << other_source.table.service
                  << "'s dead letters of this event replayed: " << one_line(error.what()) << "\n";
    }
  }

  context.out << "replayed dead letter " << letter->label() << " (" << letter->consumer << ", "
              << letter->subject << ", event " << message.event_id << ") as stream message "
              << published.sequence << " (Nats-Msg-Id " << message.msg_id << ")";
  if (published.duplicate)
    context.out << "; the stream already had it from an interrupted replay";
  context.out << "\n";
  if (!others.empty()) {
    context.out << "it reaches the other consumers that dead-lettered this event too; also marked "
                   "replayed:";
    for (const auto& other : others)
      context.out << " " << other.label();
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
      "list dead letters (every service's tb_dead_letter), or re-publish one once its cause is "
      "fixed",
      "list: the dead letters not yet replayed, newest first (--all: replayed ones too;\n"
      "--consumer: one durable's only; --json: every field, payload included; --limit: default\n"
      "100). Each service's table is read through its <SERVICE>_DATABASE_URL when set (e.g.\n"
      "PAYMENT_WORKER_DATABASE_URL), else through DATABASE_URL.\n"
      "replay ID: ID is SERVICE/NUMBER as list shows it (NUMBER alone when only one service has\n"
      "it). Publishes the message again on its original subject, under a new Nats-Msg-Id\n"
      "(replay-SERVICE-NUMBER-N) with the original event id in Choreo-Event-Id, and marks it\n"
      "replayed.\n"
      "Consumers that processed the original recognise the event id in their inbox and do\n"
      "nothing; the consumer that gave up processes it. Refuses a row already replayed, or\n"
      "one older than INBOX_RETENTION (default 168h, as the services'), unless --force.\n"
      "Reads the URLs above, NATS_URL, INBOX_RETENTION; honours FAULT_POINT\n"
      "(after_replay_publish_before_mark) for tests.",
      run_dlq};
}

}  // namespace choreo::ctl
