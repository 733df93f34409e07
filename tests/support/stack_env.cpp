#include "stack_env.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace choreo::testing {

namespace {

// The value of one shell word as the env file writes it (printf %q, or quoted): quotes removed
// and backslash escapes resolved, so "100ms\,200ms" reads as "100ms,200ms".
std::string shell_word(const std::string& word) {
  std::string value;
  char quote = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < word.size()) {
        value += word[++i];
      } else {
        value += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\' && i + 1 < word.size()) {
      value += word[++i];
    } else {
      value += c;
    }
  }
  return value;
}

}  // namespace

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
    values[line.substr(0, equals)] = shell_word(line.substr(equals + 1));
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
