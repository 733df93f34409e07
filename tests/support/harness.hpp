#pragma once

#include <map>
#include <string>

namespace choreo::testing {

// Drives one service of the test stack through the shared stack harness (`./dev stack ...`), the
// same code `./dev up` uses, so tests start, stop and kill services exactly as an operator would.
class Harness {
 public:
  explicit Harness(std::string stack_dir);
  static Harness for_current_stack();

  // Starts the service and waits until its /readyz answers 200. `extra_env` applies to this start
  // only (e.g. {"FAULT_POINT", "after_commit_before_ack"}).
  void start(const std::string& service, const std::map<std::string, std::string>& extra_env = {});
  // Starts without waiting for readiness (for runs expected to crash at a fault point).
  void start_no_wait(const std::string& service,
                     const std::map<std::string, std::string>& extra_env = {});
  void stop(const std::string& service);  // SIGTERM, then waits for exit
  void kill(const std::string& service);  // SIGKILL
  void restart(const std::string& service,
               const std::map<std::string, std::string>& extra_env = {});
  bool running(const std::string& service) const;
  // Exit status of the last run of the service (as recorded by the harness), or -1 if unknown.
  int last_exit_code(const std::string& service) const;

 private:
  int run(const std::string& arguments) const;
  std::string stack_dir_;
};

}  // namespace choreo::testing
