#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace choreo::ctl {

// The command line was wrong. what() is one line; the dispatcher adds the command's usage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A command's arguments: `--name value` or `--name=value` options, and positional words.
struct ParsedArgs {
  std::map<std::string, std::string> options;  // keyed by name without the dashes
  std::vector<std::string> positionals;

  std::optional<std::string> option(const std::string& name) const;
};

// Parses `args` accepting only the options named in `allowed` (without dashes) and at most
// `max_positionals` positional words. "--" ends the options. Throws UsageError otherwise.
ParsedArgs parse_args(const std::vector<std::string>& args, const std::set<std::string>& allowed,
                      std::size_t max_positionals = 0);

}  // namespace choreo::ctl
