#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace choreo::ctl {

// Runs the command named by args[0] with the remaining arguments and returns the exit code.
// Errors are printed to `err` as one line: configuration and usage errors exit 2, failures 1.
int run_cli(const std::vector<std::string>& args, const std::vector<Command>& commands,
            const config::EnvReader& env, std::ostream& out, std::ostream& err);

// The command list with one-line summaries.
void print_overview(const std::vector<Command>& commands, std::ostream& out);

// `text` folded onto one line (error messages from libpq span several).
std::string one_line(const std::string& text);

}  // namespace choreo::ctl
