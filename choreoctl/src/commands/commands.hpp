#pragma once

#include <vector>

#include "cli/command.hpp"

namespace choreo::ctl {

// Every subcommand, in the order `choreoctl help` lists them. A new subcommand is a new
// commands/<name>.cpp defining its factory below, plus one line in registry.cpp.
std::vector<Command> all_commands();

Command migrate_command();
Command token_command();
Command outbox_flush_command();
Command dlq_command();
Command status_command();
Command consumers_command();
Command order_command();
Command tail_command();
Command help_command();

}  // namespace choreo::ctl
