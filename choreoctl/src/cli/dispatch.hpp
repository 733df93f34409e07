#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "logging/one_line.hpp"

namespace choreo::ctl {

// Runs the command named by args[0] with the remaining arguments and returns the exit code.
// Errors are printed to `err` as one line: configuration and usage errors exit 2, failures 1.
int run_cli(const std::vector<std::string>& args, const std::vector<Command>& commands,
            const config::EnvReader& env, std::ostream& out, std::ostream& err);

// The command list with one-line summaries.
void print_overview(const std::vector<Command>& commands, std::ostream& out);

// One line per error: scripts and log collectors read them so.
using logging::one_line;

}  // namespace choreo::ctl
