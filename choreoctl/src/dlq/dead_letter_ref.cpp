#include "dlq/dead_letter_ref.hpp"

#include <charconv>

#include "cli/options.hpp"
#include "runtime/service_names.hpp"

namespace choreo::ctl {

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

}  // namespace choreo::ctl
