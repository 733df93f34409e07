#include "harness.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "stack_env.hpp"

namespace choreo::testing {
namespace {

std::string quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string env_arguments(const std::map<std::string, std::string>& extra_env) {
  std::string out;
  for (const auto& [key, value] : extra_env)
    out += " " + quote(key + "=" + value);
  return out;
}

}  // namespace

Harness::Harness(std::string stack_dir) : stack_dir_(std::move(stack_dir)) {}

Harness Harness::for_current_stack() {
  return Harness(StackEnv::current().stack_dir());
}

int Harness::run(const std::string& arguments) const {
  const std::string command = quote(std::string(CHOREO_SOURCE_DIR) + "/dev") + " stack --dir " +
                              quote(stack_dir_) + " " + arguments;
  const int status = std::system(command.c_str());
  if (status == -1)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void Harness::start(const std::string& service, const std::map<std::string, std::string>& env) {
  if (run("start " + quote(service) + env_arguments(env)) != 0) {
    throw std::runtime_error("harness: could not start " + service);
  }
}

void Harness::start_no_wait(const std::string& service,
                            const std::map<std::string, std::string>& env) {
  if (run("start --no-wait " + quote(service) + env_arguments(env)) != 0) {
    throw std::runtime_error("harness: could not start " + service);
  }
}

void Harness::stop(const std::string& service) {
  if (run("stop " + quote(service)) != 0)
    throw std::runtime_error("harness: could not stop " + service);
}

void Harness::kill(const std::string& service) {
  if (run("kill " + quote(service)) != 0)
    throw std::runtime_error("harness: could not kill " + service);
}

void Harness::restart(const std::string& service, const std::map<std::string, std::string>& env) {
  if (run("restart " + quote(service) + env_arguments(env)) != 0) {
    throw std::runtime_error("harness: could not restart " + service);
  }
}

bool Harness::running(const std::string& service) const {
  return run("status " + quote(service) + " >/dev/null 2>&1") == 0;
}

int Harness::last_exit_code(const std::string& service) const {
  // The harness's own answer, not its file: right after a process ended, `exit-code` waits until
  // its supervisor has recorded the status, where reading the file could still find none.
  const std::string command = quote(std::string(CHOREO_SOURCE_DIR) + "/dev") + " stack --dir " +
                              quote(stack_dir_) + " exit-code " + quote(service) + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return -1;
  int code = -1;
  if (std::fscanf(pipe, "%d", &code) != 1)
    code = -1;
  const int status = ::pclose(pipe);
  return status == 0 ? code : -1;
}

}  // namespace choreo::testing
