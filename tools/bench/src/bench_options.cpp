#include "bench_options.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "runtime/service_names.hpp"

namespace choreo::bench {
namespace {

long parse_number(const std::string& option, const std::string& text, long low, long high) {
  long value = 0;
  const auto* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || rest != end || value < low || value > high) {
    throw UsageError(option + " takes a whole number from " + std::to_string(low) + " to " +
                     std::to_string(high) + " (got '" + text + "')");
  }
  return value;
}

// NAME=PID
WatchedProcess parse_process(const std::string& option, const std::string& text, bool tree) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals > 64)
    throw UsageError(option + " takes NAME=PID (got '" + text + "')");
  return {text.substr(0, equals),
          static_cast<int>(parse_number(option, text.substr(equals + 1), 1, 1 << 22)), tree};
}

// "reads,latency" -> only those two.
void select_scenarios(const std::string& option, const std::string& list, BenchOptions& options) {
  options.saturation = options.latency = options.reads = false;
  std::string_view rest = list;
  while (true) {
    const auto comma = rest.find(',');
    const auto name = rest.substr(0, comma);
    if (name == "saturation") {
      options.saturation = true;
    } else if (name == "latency") {
      options.latency = true;
    } else if (name == "reads") {
      options.reads = true;
    } else {
      throw UsageError(option +
                       " takes a comma-separated list of saturation, latency and reads (got '" +
                       list + "')");
    }
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
}

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw UsageError(std::string(name) +
                     " is not set: source the stack's env file first (e.g. .stack-bench/env)");
  }
  return value;
}

}  // namespace

std::string usage_text() {
  return "Usage: choreo-bench [--quick] [--rate N] [--scenarios LIST] [--process NAME=PID]... "
         "[--process-tree NAME=PID]...\n"
         "Needs GRAPHQL_URL, TOKEN and DATABASE_URL (the stack's env file).\n"
         "  --quick              a few seconds per scenario (a smoke test: asserts only that\n"
         "                       every order reached a terminal state)\n"
         "  --rate N             orders per second of the latency scenario (default 200)\n"
         "  --scenarios LIST     run only these, e.g. reads,latency (default\n"
         "                       saturation,latency,reads); reads alone first creates orders to\n"
         "                       read for a few seconds, unreported\n"
         "  --process NAME=PID   report the peak RSS and CPU time of this process\n"
         "  --process-tree NAME=PID  the same, CPU summed with its children (PostgreSQL)\n";
}

BenchOptions parse_options(const std::vector<std::string>& arguments) {
  BenchOptions options;
  bool rate_given = false;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const auto& argument = arguments[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= arguments.size())
        throw UsageError(argument + " needs a value");
      return arguments[++i];
    };
    if (argument == "--quick") {
      options.quick = true;
    } else if (argument == "--rate") {
      options.latency_rate = static_cast<int>(parse_number(argument, value(), 1, 20'000));
      rate_given = true;
    } else if (argument == "--scenarios") {
      select_scenarios(argument, value(), options);
    } else if (argument == "--process") {
      options.processes.push_back(parse_process(argument, value(), false));
    } else if (argument == "--process-tree") {
      options.processes.push_back(parse_process(argument, value(), true));
    } else {
      throw UsageError("unknown argument '" + argument + "'");
    }
  }
  if (options.quick) {
    options.saturation_duration = std::chrono::seconds(4);
    options.latency_duration = std::chrono::seconds(3);
    options.read_duration = std::chrono::seconds(2);
    options.drain_timeout = std::chrono::seconds(40);
    options.seed_duration = std::chrono::seconds(2);
    if (!rate_given)
      options.latency_rate = 100;
  }
  options.graphql_url = required_env("GRAPHQL_URL");
  options.token = required_env("TOKEN");
  options.database_url = required_env("DATABASE_URL");
  for (const auto name : runtime::kServiceNames) {
    const auto variable = runtime::database_url_variable(name);
    if (const char* url = std::getenv(variable.c_str()); url != nullptr && *url != '\0')
      options.service_database_urls.emplace(name, url);
  }
  return options;
}

}  // namespace choreo::bench
