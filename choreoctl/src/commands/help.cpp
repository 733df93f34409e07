#include <algorithm>

#include "cli/dispatch.hpp"
#include "cli/options.hpp"
#include "commands/commands.hpp"

namespace choreo::ctl {
namespace {

int run_help(const CommandContext& context) {
  const auto args = parse_args(context.args, {}, 1);
  const auto commands = all_commands();
  if (args.positionals.empty()) {
    print_overview(commands, context.out);
    return kExitOk;
  }
  const auto& name = args.positionals.front();
  const auto command = std::find_if(commands.begin(), commands.end(),
                                    [&](const Command& c) { return c.name == name; });
  if (command == commands.end())
    throw UsageError("unknown command \"" + name + "\"");
  context.out << "usage: choreoctl " << command->usage << "\n\n" << command->summary << "\n";
  if (!command->details.empty())
    context.out << "\n" << command->details << "\n";
  return kExitOk;
}

}  // namespace

Command help_command() {
  return Command{"help", "help [COMMAND]", "list the commands, or describe one", "", run_help};
}

}  // namespace choreo::ctl
