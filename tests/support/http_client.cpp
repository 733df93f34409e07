#include "http_client.hpp"

#include <sstream>

namespace choreo::testing {

double metric_value(const std::string& metrics_text, const std::string& series) {
  std::istringstream lines(metrics_text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(series + " ", 0) == 0)
      return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

}  // namespace choreo::testing
