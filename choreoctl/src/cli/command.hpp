#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace choreo::config {
class EnvReader;
}

namespace choreo::ctl {

// Process exit codes, as scripts see them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the operation itself failed (database down, ...)
inline constexpr int kExitUsage = 2;    // bad arguments or missing configuration

// What a subcommand gets: its own arguments (after its name), the environment to read settings
// from, and where to write. Commands never touch std::cout or the process environment directly,
// so tests can run them in-process.
struct CommandContext {
  std::vector<std::string> args;
  const config::EnvReader& env;
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  std::string name;
  std::string usage;    // e.g. "token [--sub SUB] [--ttl DURATION]"
  std::string summary;  // one line for `choreoctl help`
  std::string details;  // shown by `choreoctl help <name>`: settings read, defaults
  // Returns the exit code. Throws config::ConfigError / UsageError for exit 2; any other
  // exception becomes a one-line error and exit 1.
  std::function<int(const CommandContext&)> run;
};

}  // namespace choreo::ctl
