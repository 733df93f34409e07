#pragma once

#include <string>

namespace choreo::logging {

// `text` folded onto one line: error messages from libpq span several, and an answer, a log line
// or a table cell holds one.
std::string one_line(const std::string& text);

}  // namespace choreo::logging
