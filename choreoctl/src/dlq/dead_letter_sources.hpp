#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/env.hpp"
#include "dlq/dead_letter_store.hpp"

namespace choreo::ctl::dlq {

// Where one service's dead letters are: its table, and the database to reach it through.
struct DeadLetterSource {
  DeadLetterTable table;
  std::string database_url;
};

// Every service's, in the order of the choreography: through the service's own
// <SERVICE>_DATABASE_URL when it is set (e.g. PAYMENT_WORKER_DATABASE_URL; its role owns the
// table), else through DATABASE_URL (the database's owner).
std::vector<DeadLetterSource> dead_letter_sources(const config::EnvReader& env);

// What an operator types for a dead letter: "payment-worker/12", or "12" when only one service
// has a dead letter 12. Throws UsageError on anything else.
struct DeadLetterRef {
  std::optional<std::string> service;
  long long id = 0;
};
DeadLetterRef parse_dead_letter_ref(const std::string& text);

}  // namespace choreo::ctl::dlq
