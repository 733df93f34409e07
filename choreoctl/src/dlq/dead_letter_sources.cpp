#include "dlq/dead_letter_sources.hpp"

#include <charconv>

#include "cli/options.hpp"
#include "runtime/service_names.hpp"
#include "runtime/service_settings.hpp"

namespace choreo::ctl::dlq {

std::vector<DeadLetterSource> dead_letter_sources(const config::EnvReader& env) {
  const auto owner = env.optional("DATABASE_URL");
  std::vector<DeadLetterSource> sources;
  for (const auto name : runtime::kServiceNames) {
    const std::string service(name);
    const auto schema = runtime::service_schema(service);
    const auto variable = runtime::database_url_variable(service);
    auto url = env.optional(variable);
    if (!url)
      url = owner;
    if (!url) {
      throw config::ConfigError(
          "configuration: set DATABASE_URL (the database owner's URL, e.g. "
          "postgresql://orders:orders@127.0.0.1:55432/orders) or each service's " +
          variable);
    }
    sources.push_back({{service, schema}, *url});
  }
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
