#include "commands/commands.hpp"

namespace choreo::ctl {

std::vector<Command> all_commands() {
  return {
      status_command(),       consumers_command(), order_command(), tail_command(), dlq_command(),
      outbox_flush_command(), migrate_command(),   token_command(), help_command(),
  };
}

}  // namespace choreo::ctl
