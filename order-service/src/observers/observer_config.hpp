#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace cpptoml {
class table;
}

namespace choreo::config {
class EnvReader;
}

namespace choreo::order_service {

// One observed change: an INSERT or UPDATE (of some columns) of a table, and its subject.
struct ObserverRule {
  std::string table;
  std::string event;                 // INSERT or UPDATE
  std::vector<std::string> columns;  // UPDATE only: fire only when one of these changes
  std::string subject;

  // A stable trigger name derived from the rule and its source: the installer creates missing
  // ones and drops stale ones, and leaves unchanged rules alone.
  std::string trigger_name(const std::string& source) const;
};

// Every trigger a source's rules install starts with this, so installing one source's rules never
// touches another's.
std::string observer_trigger_prefix(const std::string& source);

struct ObserverConfig {
  std::string source;
  std::vector<ObserverRule> rules;
  int batch_size = 256;
  std::chrono::milliseconds flush_interval{100};
};

// Validates as it reads: unknown keys, unsafe identifiers and malformed subjects are
// config::ConfigErrors naming the file and the rule.
ObserverConfig parse_observer_config(const cpptoml::table& document, const std::string& name);

// OBSERVERS_FILE when set, else the order-service/observers.toml compiled into the binary.
ObserverConfig load_observer_config(const config::EnvReader& env);

// The observers.toml this binary was built with.
const char* default_observers_toml();

}  // namespace choreo::order_service
