#include "pipeline_tables.hpp"

#include <pqxx/pqxx>

#include "dlq/dead_letter_json.hpp"
#include "dlq/replay.hpp"
#include "logging/one_line.hpp"
#include "outbox/outbox_backlog.hpp"
#include "runtime/service_names.hpp"

namespace choreo::event_monitor {
namespace {

constexpr int kDeadLettersShown = 20;
// A payload is shown to recognise the event, not to be copied: `choreoctl dlq list --json` has
// it whole.
constexpr std::size_t kPayloadShown = 500;

}  // namespace

PipelineTables::PipelineTables(std::vector<dlq::DeadLetterSource> sources)
    : sources_(std::move(sources)) {}

nlohmann::ordered_json PipelineTables::read() {
  auto outboxes = nlohmann::ordered_json::array();
  auto unreachable = nlohmann::ordered_json::array();
  std::vector<dlq::DeadLetterRecord> letters;
  dlq::ListFilter filter;
  filter.limit = kDeadLettersShown;
  for (const auto& source : sources_) {
    try {
      pqxx::read_transaction tx(connections_.to(source.database_url), "dashboard_tables");
      if (runtime::publishes_events(source.table.service)) {
        const auto backlog =
            outbox::read_outbox_backlog(tx, tx.quote_name(source.table.schema) + ".tb_outbox");
        outboxes.push_back({{"service", source.table.service},
                            {"unpublished", backlog.unpublished},
                            {"oldest_age_seconds", backlog.oldest_age_seconds}});
      }
      for (auto& letter : dlq::list_dead_letters(tx, source.table, filter))
        letters.push_back(std::move(letter));
    } catch (const std::exception& failure) {
      unreachable.push_back(source.table.service + ": " + logging::one_line(failure.what()));
      connections_.forget(source.database_url);
    }
  }
  dlq::sort_newest_first(letters);
  if (letters.size() > static_cast<std::size_t>(kDeadLettersShown))
    letters.resize(static_cast<std::size_t>(kDeadLettersShown));
  auto shown = nlohmann::ordered_json::array();
  for (auto& letter : letters) {
    if (letter.payload.size() > kPayloadShown)
      letter.payload.resize(kPayloadShown);
    auto json = dlq::dead_letter_json(letter);
    json.erase("headers");
    shown.push_back(std::move(json));
  }
  return {{"outboxes", std::move(outboxes)},
          {"dead_letters", std::move(shown)},
          {"unreachable", std::move(unreachable)}};
}

}  // namespace choreo::event_monitor
