#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>

#include "bus/bus_settings.hpp"
#include "bus/jetstream.hpp"
#include "cli/dispatch.hpp"
#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "db/connections_by_url.hpp"
#include "dlq/dead_letter_ref.hpp"
#include "dlq/dead_letter_report.hpp"
#include "dlq/dead_letter_sources.hpp"
#include "dlq/dead_letter_store.hpp"
#include "dlq/replay.hpp"
#include "runtime/fault_points.hpp"

namespace choreo::ctl {
namespace {

using dlq::ReplayResult;
using dlq::ReplayRun;

std::optional<int> limit_option(const ParsedArgs& parsed) {
  const auto limit = parsed.option("limit");
  if (!limit)
    return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
  if (error != std::errc() || end != limit->data() + limit->size() || value < 1 ||
      value > dlq::kMaxListLimit) {
    throw UsageError("--limit takes a number from 1 to " + std::to_string(dlq::kMaxListLimit));
  }
  return value;
}

int run_list(const CommandContext& context, const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {"consumer", "limit"}, 0, {"all", "json"});
  dlq::ListFilter filter;
  filter.consumer = parsed.option("consumer");
  filter.include_replayed = parsed.flag("all");
  filter.limit = limit_option(parsed).value_or(filter.limit);

  db::ConnectionsByUrl connections;
  auto letters = dlq::matching_letters(dlq::dead_letter_sources(context.env), connections, filter);
  const bool truncated = letters.size() > static_cast<std::size_t>(filter.limit);
  if (truncated)
    letters.resize(static_cast<std::size_t>(filter.limit));
  if (parsed.flag("json")) {
    print_dead_letters_json(letters, context.out);
  } else {
    print_dead_letter_table(letters, context.out);
  }
  if (truncated || letters.size() == static_cast<std::size_t>(filter.limit)) {
    context.err << "showing the newest " << filter.limit << "; --limit N shows more\n";
  }
  return kExitOk;
}

void print_result(const ReplayResult& result, std::ostream& out, std::ostream& err) {
  if (result.kind != ReplayResult::Kind::replayed) {
    err << "choreoctl dlq: dead letter " << result.label << ": " << result.detail << "\n";
    return;
  }
  const auto& letter = *result.letter;
  out << "replayed dead letter " << result.label << " (" << letter.consumer << ", "
      << letter.subject << ", event " << result.message->event_id << ") as stream message "
      << result.published.sequence << " (Nats-Msg-Id " << result.message->msg_id << ")";
  if (result.published.duplicate)
    out << "; the stream already had it from an interrupted replay";
  out << "\n";
  if (!result.also_marked.empty()) {
    out << "it reaches the other consumers that dead-lettered this event too; also marked "
           "replayed:";
    for (const auto& other : result.also_marked)
      out << " " << other.label();
    out << "\n";
  }
}

// One dead letter, named as `choreoctl dlq list` shows it (dlq::replay_letter tells the order).
int run_replay_one(const CommandContext& context, ReplayRun& run, const DeadLetterRef& ref,
                   const std::string& shown, bool json) {
  // Which service's dead letter this is: the one named, or the only one with that number.
  std::vector<const dlq::DeadLetterSource*> holders;
  for (const auto& source : run.sources) {
    if (ref.service && *ref.service != source.table.service)
      continue;
    pqxx::read_transaction tx(run.connections.to(source.database_url), "dlq_find");
    if (!tx.exec_params("SELECT 1 FROM " + tx.quote_name(source.table.schema) +
                            ".tb_dead_letter WHERE pk_dead_letter = $1",
                        ref.id)
             .empty()) {
      holders.push_back(&source);
    }
  }
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
  const auto result = dlq::replay_letter(run, *holders.front(), ref.id);
  if (json)
    context.out << dlq::replay_result_json(result).dump(2) << "\n";
  else
    print_result(result, context.out, context.err);
  if (json && result.kind != ReplayResult::Kind::replayed)
    context.err << "choreoctl dlq: dead letter " << result.label << ": " << result.detail << "\n";
  return result.kind == ReplayResult::Kind::replayed ? kExitOk : kExitFailure;
}

// --all: every unreplayed dead letter that matches the filters, oldest first (the order they
// failed in), each through replay_letter. A letter whose event an earlier one of this run
// already replayed was marked with it and is skipped.
int run_replay_all(const CommandContext& context, ReplayRun& run, const dlq::ListFilter& filter,
                   bool dry_run, bool json) {
  auto letters = dlq::matching_letters(run.sources, run.connections, filter);
  std::reverse(letters.begin(), letters.end());
  if (letters.size() > static_cast<std::size_t>(filter.limit))
    letters.resize(static_cast<std::size_t>(filter.limit));

  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  std::set<std::string> covered;  // labels marked replayed by an earlier replay of this run
  int replayed = 0;
  int skipped = 0;
  int unsuccessful = 0;
  for (const auto& letter : letters) {
    if (dry_run) {
      if (json) {
        results.push_back({{"id", letter.label()},
                           {"result", "would replay"},
                           {"consumer", letter.consumer},
                           {"subject", letter.subject},
                           {"reason", letter.reason}});
      } else {
        context.out << "would replay " << letter.label() << " (" << letter.consumer << ", "
                    << letter.subject << "): " << one_line(letter.reason) << "\n";
      }
      continue;
    }
    if (covered.count(letter.label()) != 0) {
      ++skipped;
      if (json)
        results.push_back({{"id", letter.label()}, {"result", "replayed with an earlier one"}});
      continue;
    }
    const auto result =
        dlq::replay_letter(run, *dlq::source_of(run.sources, letter.service), letter.id);
    if (result.kind == ReplayResult::Kind::replayed) {
      ++replayed;
      for (const auto& other : result.also_marked)
        covered.insert(other.label());
    } else {
      ++unsuccessful;
    }
    if (json)
      results.push_back(dlq::replay_result_json(result));
    else
      print_result(result, context.out, context.err);
  }

  if (json) {
    nlohmann::ordered_json document;
    document["dry_run"] = dry_run;
    document["matched"] = letters.size();
    document["replayed"] = replayed;
    document["skipped"] = skipped;
    document["not_replayed"] = unsuccessful;
    document["results"] = std::move(results);
    context.out << document.dump(2) << "\n";
  } else if (letters.empty()) {
    context.out << "no unreplayed dead letters match\n";
  } else if (dry_run) {
    context.out << letters.size() << " dead letter(s) would be replayed; nothing was changed\n";
  } else {
    context.out << "replayed " << replayed << " of " << letters.size() << " dead letter(s)";
    if (skipped > 0)
      context.out << " (" << skipped << " with the replay of the same event)";
    if (unsuccessful > 0)
      context.out << "; " << unsuccessful << " not replayed (see above)";
    context.out << "\n";
  }
  return unsuccessful == 0 ? kExitOk : kExitFailure;
}

int run_replay(const CommandContext& context, const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {"consumer", "reason", "since", "limit"}, 1,
                                 {"force", "all", "dry-run", "json"});
  const bool all = parsed.flag("all");
  if (all && !parsed.positionals.empty())
    throw UsageError("give either one dead letter's ID or --all, not both");
  if (!all && parsed.positionals.empty())
    throw UsageError("which dead letter? (the ID column of `choreoctl dlq list`, or --all)");
  if (!all && (parsed.option("consumer") || parsed.option("reason") || parsed.option("since") ||
               parsed.option("limit") || parsed.flag("dry-run")))
    throw UsageError("--consumer, --reason, --since, --limit and --dry-run go with --all");
  // Everything the command line says is checked before anything is connected to.
  std::optional<DeadLetterRef> ref;
  dlq::ListFilter filter;
  if (all) {
    filter.consumer = parsed.option("consumer");
    filter.reason_contains = parsed.option("reason");
    if (const auto since = parsed.option("since")) {
      filter.recorded_within = config::parse_duration(*since);
      if (!filter.recorded_within || filter.recorded_within->count() <= 0)
        throw UsageError("--since takes a duration such as 30m (dead letters recorded since then)");
    }
    filter.limit = limit_option(parsed).value_or(dlq::kMaxListLimit);
  } else {
    ref = parse_dead_letter_ref(parsed.positionals.front());
  }

  const auto sources = dlq::dead_letter_sources(context.env);
  const auto faults = runtime::FaultPoints::parse(context.env.string_or("FAULT_POINT", ""));
  db::ConnectionsByUrl connections;
  bus::JetStreamClient bus(bus::load_nats_settings(context.env, "choreoctl"));
  ReplayRun run{sources,
                connections,
                bus,
                faults,
                context.env.duration_or("INBOX_RETENTION", dlq::kDefaultInboxRetention),
                parsed.flag("force"),
                [&context](const std::string& problem) {
                  context.err << "choreoctl dlq: " << problem << "\n";
                }};
  const bool json = parsed.flag("json");
  return all ? run_replay_all(context, run, filter, parsed.flag("dry-run"), json)
             : run_replay_one(context, run, *ref, parsed.positionals.front(), json);
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
      "dlq",
      "dlq list [--consumer C] [--all] [--json] [--limit N] | dlq replay ID [--force] [--json] |\n"
      "    dlq replay --all [--consumer C] [--reason TEXT] [--since 30m] [--limit N] [--dry-run]\n"
      "    [--force] [--json]",
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
      "replay --all: every unreplayed dead letter, oldest first, or those of one consumer\n"
      "(--consumer), whose reason contains TEXT (--reason), recorded within the last --since;\n"
      "--dry-run lists them and changes nothing. Exit status 1 when any was not replayed.\n"
      "Reads the URLs above, NATS_URL, INBOX_RETENTION; honours FAULT_POINT\n"
      "(after_replay_publish_before_mark) for tests.",
      run_dlq};
}

}  // namespace choreo::ctl
