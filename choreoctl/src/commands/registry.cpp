#include "commands/commands.hpp"

namespace choreo::ctl {

std::vector<Command> all_commands() {
  return {
      migrate_command(), token_command(), outbox_flush_command(), dlq_command(), help_command(),
  };
}

}  // namespace choreo::ctl
