#include "cli/options.hpp"

namespace choreo::ctl {
namespace {

constexpr std::size_t kMaxArgumentLength = 4096;  // generous for any value an operator types

}  // namespace

std::optional<std::string> ParsedArgs::option(const std::string& name) const {
  const auto found = options.find(name);
  if (found == options.end())
    return std::nullopt;
  return found->second;
}

ParsedArgs parse_args(const std::vector<std::string>& args, const std::set<std::string>& allowed,
                      std::size_t max_positionals, const std::set<std::string>& flags) {
  for (const auto& arg : args) {
    if (arg.size() > kMaxArgumentLength) {
      throw UsageError("an argument is longer than " + std::to_string(kMaxArgumentLength) +
                       " characters");
    }
  }
  ParsedArgs parsed;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (options_ended || arg.size() < 2 || arg.rfind("--", 0) != 0) {
      if (!options_ended && arg.size() > 1 && arg[0] == '-') {
        throw UsageError("unknown option " + arg);
      }
      if (parsed.positionals.size() >= max_positionals) {
        throw UsageError("unexpected argument \"" + arg + "\"");
      }
      parsed.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const auto equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }
    if (flags.count(name) != 0) {
      if (value)
        throw UsageError("option --" + name + " takes no value");
      if (!parsed.flags.insert(name).second)
        throw UsageError("option --" + name + " given twice");
      continue;
    }
    if (allowed.count(name) == 0)
      throw UsageError("unknown option --" + name);
    if (parsed.options.count(name) != 0)
      throw UsageError("option --" + name + " given twice");
    if (!value) {
      if (i + 1 >= args.size())
        throw UsageError("option --" + name + " needs a value");
      value = args[++i];
    }
    parsed.options.emplace(name, *value);
  }
  return parsed;
}

}  // namespace choreo::ctl
