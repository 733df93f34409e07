#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace choreo::config {

// Raised when configuration is missing or malformed. what() is one line that names the variable
// and says what to set it to, so a binary can print it and exit.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads settings from an environment. Only the wiring layer (main.cpp and the *Settings loaders)
// uses it; everything else receives plain settings structs.
class EnvReader {
 public:
  using Lookup = std::function<std::optional<std::string>(const std::string&)>;

  // Reads the process environment.
  EnvReader();
  // Reads from a fixed map (tests, or settings assembled from a file).
  explicit EnvReader(std::map<std::string, std::string> values);
  explicit EnvReader(Lookup lookup);

  // A present, non-empty value, or ConfigError "set NAME (hint)".
  std::string required(const std::string& name, const std::string& hint) const;
  std::string string_or(const std::string& name, const std::string& fallback) const;
  std::optional<std::string> optional(const std::string& name) const;

  // Integers in [min, max]; anything else is a ConfigError naming the accepted range.
  std::int64_t integer_or(const std::string& name, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) const;
  bool boolean_or(const std::string& name, bool fallback) const;
  // Durations written as "250ms", "2s", "1m", "1h" (a bare number is milliseconds).
  std::chrono::milliseconds duration_or(const std::string& name,
                                        std::chrono::milliseconds fallback) const;
  // A comma-separated list of durations, e.g. "100ms,500ms,1s".
  std::vector<std::chrono::milliseconds> durations_or(
      const std::string& name, std::vector<std::chrono::milliseconds> fallback) const;
  // One of the allowed words (case-sensitive).
  std::string choice_or(const std::string& name, const std::string& fallback,
                        const std::vector<std::string>& allowed) const;

 private:
  Lookup lookup_;
};

// Parses "250ms", "2s", "1.5s", "1m", "1h" or a bare millisecond count; nullopt if malformed.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);

// "host:port" as used by LISTEN_ADDR; ConfigError on anything else.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
ListenAddress parse_listen_address(const std::string& name, const std::string& text);

}  // namespace choreo::config
