#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace choreo::bench {

// A command line the bench cannot run with; main prints it with the usage and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A process whose memory and CPU the bench reports. With `tree`, CPU is summed over the process
// and its children (PostgreSQL: the postmaster and every backend, exited ones included).
struct WatchedProcess {
  std::string name;
  int pid = 0;
  bool tree = false;
};

struct BenchOptions {
  bool quick = false;

  // --scenarios: which to run (all three by default). The read scenario reads the orders the
  // saturation scenario created; without that scenario it first creates some (not reported).
  bool saturation = true;
  bool latency = true;
  bool reads = true;
  std::chrono::seconds seed_duration{5};

  int saturation_clients = 64;
  std::chrono::seconds saturation_duration{30};

  int latency_rate = 200;  // orders per second, open loop
  std::chrono::seconds latency_duration{30};

  int read_clients = 32;
  std::chrono::seconds read_duration{15};

  // How long the bench waits after a scenario for every order to reach a terminal state.
  std::chrono::seconds drain_timeout{300};

  std::vector<WatchedProcess> processes;

  // From the stack's env file.
  std::string graphql_url;
  std::string token;
  std::string database_url;
  // service name -> its own <SERVICE>_DATABASE_URL, where the env file names one.
  std::map<std::string, std::string> service_database_urls;
};

// Parses argv (without argv[0]) and the environment (GRAPHQL_URL, TOKEN, DATABASE_URL).
BenchOptions parse_options(const std::vector<std::string>& arguments);

std::string usage_text();

}  // namespace choreo::bench
