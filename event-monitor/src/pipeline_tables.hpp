#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "db/connections_by_url.hpp"
#include "dlq/dead_letter_sources.hpp"

namespace choreo::event_monitor {

// What the dashboard shows of the other services' own tables, read through each service's
// database (its <SERVICE>_DATABASE_URL, or DATABASE_URL when they share one): each outbox's
// backlog and the newest unreplayed dead letters. One thread at a time (the live feed's).
class PipelineTables {
 public:
  explicit PipelineTables(std::vector<dlq::DeadLetterSource> sources);

  // {"outboxes": [{service, unpublished, oldest_age_seconds}], "dead_letters": [newest first],
  //  "unreachable": ["<service>: <why>"]}. A service whose database does not answer is named
  // under "unreachable"; the others are still read.
  nlohmann::ordered_json read();

 private:
  std::vector<dlq::DeadLetterSource> sources_;
  db::ConnectionsByUrl connections_;
};

}  // namespace choreo::event_monitor
