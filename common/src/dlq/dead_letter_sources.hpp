#pragma once

#include <string>
#include <vector>

#include "config/env.hpp"
#include "dlq/dead_letter_store.hpp"

namespace choreo::dlq {

// Where one service's dead letters are: its table, and the database to reach it through.
struct DeadLetterSource {
  DeadLetterTable table;
  std::string database_url;
};

// Every service's, in the order of the choreography: through the service's own
// <SERVICE>_DATABASE_URL when it is set (e.g. PAYMENT_WORKER_DATABASE_URL; its role owns the
// table), else through DATABASE_URL (the database's owner). ConfigError when neither is set.
std::vector<DeadLetterSource> dead_letter_sources(const config::EnvReader& env);

}  // namespace choreo::dlq
