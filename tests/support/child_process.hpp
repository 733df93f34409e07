#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace choreo::testing {

// The choreoctl binary of this build: $CHOREOCTL_BIN, else <build>/choreoctl/choreoctl next to
// the test binary's own <build>/tests/ folder.
std::filesystem::path choreoctl_binary();

struct ProcessResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// A child process with the test's environment plus `extra_env` ("KEY=VALUE"), stdout and stderr
// captured to a file. Killed on destruction if still running.
class ChildProcess {
 public:
  ChildProcess(const std::filesystem::path& binary, const std::vector<std::string>& args,
               const std::vector<std::string>& extra_env);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits up to `timeout`; a child still running then is killed and reported as exit -1.
  ProcessResult wait(std::chrono::seconds timeout);

 private:
  std::filesystem::path output_path_;
  pid_t pid_ = -1;
};

}  // namespace choreo::testing
