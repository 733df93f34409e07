#pragma once

#include <map>
#include <string>

namespace choreo::testing {

// The `env` file of the stack a test runs against ($STACK_DIR/env, written by the stack harness):
// DATABASE_URL, NATS_URL, NATS_MONITOR_URL, GRAPHQL_URL, JWT_SECRET, TOKEN, STACK_DIR and the
// services' *_URL health addresses.
class StackEnv {
 public:
  // Loads $STACK_DIR/env; fails the calling test (throws) when STACK_DIR is not set.
  static const StackEnv& current();

  const std::string& get(const std::string& key) const;
  const std::string& stack_dir() const { return get("STACK_DIR"); }
  const std::string& database_url() const { return get("DATABASE_URL"); }
  const std::string& nats_url() const { return get("NATS_URL"); }

  explicit StackEnv(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  static StackEnv parse(const std::string& text);

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace choreo::testing
