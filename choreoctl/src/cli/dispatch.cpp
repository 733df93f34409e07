#include "cli/dispatch.hpp"

#include <algorithm>

#include "cli/options.hpp"
#include "config/env.hpp"

namespace choreo::ctl {

void print_overview(const std::vector<Command>& commands, std::ostream& out) {
  out << "usage: choreoctl <command> [options]\n\ncommands:\n";
  std::size_t width = 0;
  for (const auto& command : commands)
    width = std::max(width, command.name.size());
  for (const auto& command : commands) {
    out << "  " << command.name << std::string(width - command.name.size() + 2, ' ')
        << command.summary << "\n";
  }
  out << "\nRun `choreoctl help <command>` for a command's options and settings.\n";
}

int run_cli(const std::vector<std::string>& args, const std::vector<Command>& commands,
            const config::EnvReader& env, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    print_overview(commands, err);
    return kExitUsage;
  }
  const std::string& name = args.front();
  if (name == "--help" || name == "-h") {
    print_overview(commands, out);
    return kExitOk;
  }
  const auto command = std::find_if(commands.begin(), commands.end(),
                                    [&](const Command& c) { return c.name == name; });
  if (command == commands.end()) {
    err << "choreoctl: unknown command \"" << name << "\"; run `choreoctl help` for the list\n";
    return kExitUsage;
  }

  const CommandContext context{std::vector<std::string>(args.begin() + 1, args.end()), env, out,
                               err};
  try {
    return command->run(context);
  } catch (const config::ConfigError& error) {
    err << one_line(error.what()) << "\n";
    return kExitUsage;
  } catch (const UsageError& error) {
    err << "choreoctl " << name << ": " << one_line(error.what()) << " (usage: choreoctl "
        << command->usage << ")\n";
    return kExitUsage;
  } catch (const std::exception& error) {
    err << "choreoctl " << name << ": " << one_line(error.what()) << "\n";
    return kExitFailure;
  }
}

}  // namespace choreo::ctl
