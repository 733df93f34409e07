#pragma once

#include <optional>
#include <string>

namespace choreo::ctl {

// What an operator types for a dead letter: "payment-worker/12", or "12" when only one service
// has a dead letter 12. Throws UsageError on anything else.
struct DeadLetterRef {
  std::optional<std::string> service;
  long long id = 0;
};
DeadLetterRef parse_dead_letter_ref(const std::string& text);

}  // namespace choreo::ctl
