#include "stack_env.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace choreo::testing {

StackEnv StackEnv::parse(const std::string& text) {
  std::map<std::string, std::string> values;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("export ", 0) == 0)
      line = line.substr(7);
    const auto equals = line.find('=');
    if (line.empty() || line[0] == '#' || equals == std::string::npos)
      continue;
    auto value = line.substr(equals + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[line.substr(0, equals)] = value;
  }
  return StackEnv(std::move(values));
}

const StackEnv& StackEnv::current() {
  static const StackEnv env = [] {
    const char* dir = std::getenv("STACK_DIR");
    if (dir == nullptr || *dir == '\0') {
      throw std::runtime_error(
          "STACK_DIR is not set: integration tests run against a stack; use ./dev test");
    }
    std::ifstream file(std::string(dir) + "/env");
    if (!file)
      throw std::runtime_error(std::string("cannot read ") + dir + "/env");
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = parse(text.str());
    parsed.values_.emplace("STACK_DIR", dir);
    return parsed;
  }();
  return env;
}

const std::string& StackEnv::get(const std::string& key) const {
  const auto found = values_.find(key);
  if (found == values_.end())
    throw std::runtime_error("the stack env file lacks " + key);
  return found->second;
}

}  // namespace choreo::testing
