#include "logging/one_line.hpp"

namespace choreo::logging {

std::string one_line(const std::string& text) {
  // Database errors span lines (DETAIL, HINT, "Is the server running..."); scripts and log
  // collectors expect one line per error, so the lines are joined, not dropped.
  std::string line;
  bool pending_space = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      pending_space = !line.empty();
      continue;
    }
    if (pending_space)
      line.push_back(' ');
    pending_space = false;
    line.push_back(c);
  }
  return line;
}

}  // namespace choreo::logging
