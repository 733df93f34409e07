#include "child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "polling.hpp"

extern char** environ;

namespace choreo::testing {

std::filesystem::path choreoctl_binary() {
  if (const char* configured = std::getenv("CHOREOCTL_BIN"); configured && *configured) {
    return configured;
  }
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "choreoctl" /
         "choreoctl";
}

ChildProcess::ChildProcess(const std::filesystem::path& binary,
                           const std::vector<std::string>& args,
                           const std::vector<std::string>& extra_env)
    : output_path_(std::filesystem::temp_directory_path() /
                   ("choreoctl-test-" + unique_suffix() + ".out")) {
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const bool overridden = std::any_of(extra_env.begin(), extra_env.end(), [&](const auto& e) {
      return text.rfind(e.substr(0, e.find('=') + 1), 0) == 0;
    });
    if (!overridden)
      env_strings.push_back(text);
  }
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& entry : env_strings)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  std::vector<std::string> argv_strings{binary.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_strings)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0)
    throw std::runtime_error("cannot start " + binary.string());
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove(output_path_, ignored);
}

ProcessResult ChildProcess::wait(std::chrono::seconds timeout) {
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      pid_ = -1;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::ifstream file(output_path_);
  std::ostringstream text;
  text << file.rdbuf();
  result.output = text.str();
  return result;
}

}  // namespace choreo::testing
