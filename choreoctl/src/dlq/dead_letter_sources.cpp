#include "dlq/dead_letter_sources.hpp"

#include <charconv>

#include "cli/options.hpp"
#include "inspect/service_databases.hpp"
#include "runtime/service_names.hpp"

namespace choreo::ctl::dlq {

std::vector<DeadLetterSource> dead_letter_sources(const config::EnvReader& env) {
  std::vector<DeadLetterSource> sources;
  for (auto& database : inspect::service_databases(env))
    sources.push_back(
        {{std::move(database.service), std::move(database.schema)}, std::move(database.url)});
  return sources;
}

DeadLetterRef parse_dead_letter_ref(const std::string& text) {
  DeadLetterRef ref;
  std::string number = text;
  if (const auto slash = text.find('/'); slash != std::string::npos) {
    ref.service = text.substr(0, slash);
    number = text.substr(slash + 1);
    bool known = false;
    for (const auto name : runtime::kServiceNames)
      known = known || name == *ref.service;
    if (!known)
      throw UsageError("no service \"" + *ref.service + "\" (ID is SERVICE/NUMBER, as in the " +
                       "first column of `choreoctl dlq list`)");
  }
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), ref.id);
  if (error != std::errc() || end != number.data() + number.size() || ref.id < 1)
    throw UsageError(
        "ID is SERVICE/NUMBER (or NUMBER), as in the first column of "
        "`choreoctl dlq list`");
  return ref;
}

}  // namespace choreo::ctl::dlq
