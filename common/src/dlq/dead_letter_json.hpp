#pragma once

#include <nlohmann/json.hpp>

#include "dlq/dead_letter_record.hpp"

namespace choreo::dlq {

// One dead letter as JSON, every field included (`choreoctl dlq list --json`, the dashboard).
// The payload is text: dump it with error_handler_t::replace, since it may not be UTF-8.
nlohmann::ordered_json dead_letter_json(const DeadLetterRecord& letter);

}  // namespace choreo::dlq
