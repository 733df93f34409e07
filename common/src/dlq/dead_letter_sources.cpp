#include "dlq/dead_letter_sources.hpp"

#include "db/service_databases.hpp"

namespace choreo::dlq {

std::vector<DeadLetterSource> dead_letter_sources(const config::EnvReader& env) {
  std::vector<DeadLetterSource> sources;
  for (auto& database : db::service_databases(env))
    sources.push_back(
        {{std::move(database.service), std::move(database.schema)}, std::move(database.url)});
  return sources;
}

}  // namespace choreo::dlq
