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

// A command's arguments: `--name value` or `--name=value` options, `--flag` switches, and
// positional words.
struct ParsedArgs {
  std::map<std::string, std::string> options;  // keyed by name without the dashes
  std::set<std::string> flags;                 // the switches given, without the dashes
  std::vector<std::string> positionals;

  std::optional<std::string> option(const std::string& name) const;
  bool flag(const std::string& name) const { return flags.count(name) != 0; }
};

// Parses `args` accepting only the options named in `allowed` and the switches named in `flags`
// (without dashes; a switch takes no value), and at most `max_positionals` positional words.
// "--" ends the options. Throws UsageError otherwise.
ParsedArgs parse_args(const std::vector<std::string>& args, const std::set<std::string>& allowed,
                      std::size_t max_positionals = 0, const std::set<std::string>& flags = {});

}  // namespace choreo::ctl
