// choreoctl: the operator's command line (see `choreoctl help`). main only wires the process
// (arguments, environment, logging, streams) to the command dispatcher.
#include <iostream>
#include <string>
#include <vector>

#include "cli/dispatch.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "logging/logging.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const choreo::config::EnvReader env;
  try {
    auto settings = choreo::logging::load_log_settings(env, "choreoctl");
    // stdout is the command's output; log lines (stderr) are for problems unless asked for.
    if (!env.optional("LOG_LEVEL"))
      settings.level = "warn";
    choreo::logging::setup(settings);
  } catch (const choreo::config::ConfigError& error) {
    std::cerr << error.what() << "\n";
    return choreo::ctl::kExitUsage;
  }
  return choreo::ctl::run_cli(args, choreo::ctl::all_commands(), env, std::cout, std::cerr);
}
