#include "observers/observer_config.hpp"

#include <cpptoml.h>

#include <regex>
#include <set>

#include "config/env.hpp"
#include "config/toml_file.hpp"

namespace choreo::order_service {
namespace {

const std::regex kIdentifier("^[a-z_][a-z0-9_]{0,62}$");
const std::regex kSubject("^events(\\.[a-z0-9_]+)+$");
const std::regex kSource("^[a-z][a-z0-9_-]{0,39}$");  // tb_outbox.source's own rule

config::ConfigError invalid(const std::string& name, const std::string& what) {
  return config::ConfigError("configuration: " + name + ": " + what);
}

void reject_unknown_keys(const cpptoml::table& table, const std::set<std::string>& known,
                         const std::string& name, const std::string& where) {
  for (const auto& [key, value] : table) {
    if (known.count(key) == 0)
      throw invalid(name, "unknown key \"" + key + "\" in " + where);
  }
}

std::string required_string(const cpptoml::table& table, const std::string& key,
                            const std::string& name, const std::string& where) {
  const auto value = table.get_as<std::string>(key);
  if (!value)
    throw invalid(name, where + " needs " + key + " = \"...\"");
  return *value;
}

// FNV-1a: a short, stable digest for trigger names (not security relevant).
std::string short_digest(const std::string& text) {
  std::uint32_t hash = 2166136261u;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  char out[9];
  std::snprintf(out, sizeof out, "%08x", hash);
  return out;
}

}  // namespace

std::string observer_trigger_prefix(const std::string& source) {
  std::string prefix = "observe_" + source + "_";
  for (auto& c : prefix) {
    if (c == '-')
      c = '_';
  }
  return prefix;
}

std::string ObserverRule::trigger_name(const std::string& source) const {
  std::string key = source + "|" + table + "|" + event + "|" + subject;
  for (const auto& column : columns)
    key += "|" + column;
  const std::string lower_event = event == "INSERT" ? "insert" : "update";
  // PostgreSQL keeps 63 bytes of a name; the digest comes first so it always survives.
  return (observer_trigger_prefix(source) + short_digest(key) + "_" + table + "_" + lower_event)
      .substr(0, 63);
}

ObserverConfig parse_observer_config(const cpptoml::table& document, const std::string& name) {
  reject_unknown_keys(document, {"source", "observer", "relay"}, name, "the file");
  ObserverConfig config;
  config.source = required_string(document, "source", name, "the file");
  if (!std::regex_match(config.source, kSource)) {
    throw invalid(name, "source \"" + config.source + "\" must match [a-z][a-z0-9_-]*");
  }
  const auto rules = document.get_table_array("observer");
  if (!rules)
    throw invalid(name, "no [[observer]] rules");
  int index = 0;
  for (const auto& entry : *rules) {
    const auto where = "[[observer]] #" + std::to_string(++index);
    reject_unknown_keys(*entry, {"table", "event", "columns", "subject"}, name, where);
    ObserverRule rule;
    rule.table = required_string(*entry, "table", name, where);
    rule.event = required_string(*entry, "event", name, where);
    rule.subject = required_string(*entry, "subject", name, where);
    if (!std::regex_match(rule.table, kIdentifier)) {
      throw invalid(name, where + ": table \"" + rule.table + "\" is not a plain table name");
    }
    if (rule.event != "INSERT" && rule.event != "UPDATE") {
      throw invalid(name, where + ": event must be \"INSERT\" or \"UPDATE\"");
    }
    if (!std::regex_match(rule.subject, kSubject)) {
      throw invalid(name, where + ": subject \"" + rule.subject + "\" must look like events.x.y");
    }
    if (const auto columns = entry->get_array_of<std::string>("columns")) {
      if (rule.event != "UPDATE")
        throw invalid(name, where + ": columns apply to UPDATE only");
      for (const auto& column : *columns) {
        if (!std::regex_match(column, kIdentifier)) {
          throw invalid(name, where + ": column \"" + column + "\" is not a plain column name");
        }
        rule.columns.push_back(column);
      }
    } else if (entry->contains("columns")) {
      throw invalid(name, where + ": columns must be a list of column names");
    }
    config.rules.push_back(std::move(rule));
  }
  if (const auto relay = document.get_table("relay")) {
    reject_unknown_keys(*relay, {"batch_size", "flush_interval"}, name, "[relay]");
    if (const auto batch = relay->get_as<int64_t>("batch_size")) {
      if (*batch < 1 || *batch > 10000)
        throw invalid(name, "[relay] batch_size must be 1..10000");
      config.batch_size = static_cast<int>(*batch);
    }
    if (const auto interval = relay->get_as<std::string>("flush_interval")) {
      const auto parsed = config::parse_duration(*interval);
      if (!parsed || parsed->count() < 10) {
        throw invalid(name,
                      "[relay] flush_interval must be a duration of 10ms or more, e.g. \"1s\"");
      }
      config.flush_interval = *parsed;
    }
  }
  return config;
}

ObserverConfig load_observer_config(const config::EnvReader& env) {
  if (const auto path = env.optional("OBSERVERS_FILE")) {
    return parse_observer_config(*config::load_toml_file(*path, env), *path);
  }
  return parse_observer_config(
      *config::parse_toml(default_observers_toml(), "observers.toml (built in)", env),
      "observers.toml (built in)");
}

}  // namespace choreo::order_service
