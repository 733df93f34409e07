#include "config/env.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace choreo::config {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string join(const std::vector<std::string>& words, const std::string& separator) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty())
      out += separator;
    out += word;
  }
  return out;
}

}  // namespace

EnvReader::EnvReader()
    : lookup_([](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr)
          return std::nullopt;
        return std::string(value);
      }) {}

EnvReader::EnvReader(std::map<std::string, std::string> values)
    : lookup_([values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        const auto found = values.find(name);
        if (found == values.end())
          return std::nullopt;
        return found->second;
      }) {}

EnvReader::EnvReader(Lookup lookup) : lookup_(std::move(lookup)) {}

std::optional<std::string> EnvReader::optional(const std::string& name) const {
  auto value = lookup_(name);
  if (!value)
    return std::nullopt;
  auto trimmed = trim(*value);
  if (trimmed.empty())
    return std::nullopt;
  return trimmed;
}

std::string EnvReader::required(const std::string& name, const std::string& hint) const {
  auto value = optional(name);
  if (!value)
    throw ConfigError("configuration: set " + name + " (" + hint + ")");
  return *value;
}

std::string EnvReader::string_or(const std::string& name, const std::string& fallback) const {
  return optional(name).value_or(fallback);
}

std::int64_t EnvReader::integer_or(const std::string& name, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) const {
  const auto value = optional(name);
  if (!value)
    return fallback;
  std::int64_t parsed = 0;
  const auto* begin = value->data();
  const auto* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(begin, end, parsed);
  if (ec != std::errc() || ptr != end || parsed < min || parsed > max) {
    throw ConfigError("configuration: " + name + "=\"" + *value + "\" is not valid; set " + name +
                      " to an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return parsed;
}

bool EnvReader::boolean_or(const std::string& name, bool fallback) const {
  const auto value = optional(name);
  if (!value)
    return fallback;
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "1" || lower == "true" || lower == "yes" || lower == "on")
    return true;
  if (lower == "0" || lower == "false" || lower == "no" || lower == "off")
    return false;
  throw ConfigError("configuration: " + name + "=\"" + *value + "\" is not valid; set " + name +
                    " to true or false");
}

std::chrono::milliseconds EnvReader::duration_or(const std::string& name,
                                                 std::chrono::milliseconds fallback) const {
  const auto value = optional(name);
  if (!value)
    return fallback;
  const auto parsed = parse_duration(*value);
  if (!parsed) {
    throw ConfigError("configuration: " + name + "=\"" + *value + "\" is not valid; set " + name +
                      " to a duration such as 250ms, 2s or 1m");
  }
  return *parsed;
}

std::vector<std::chrono::milliseconds> EnvReader::durations_or(
    const std::string& name, std::vector<std::chrono::milliseconds> fallback) const {
  const auto value = optional(name);
  if (!value)
    return fallback;
  std::vector<std::chrono::milliseconds> result;
  std::size_t start = 0;
  while (start <= value->size()) {
    const auto comma = value->find(',', start);
    const auto piece =
        trim(value->substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    const auto parsed = parse_duration(piece);
    if (!parsed) {
      throw ConfigError("configuration: " + name + "=\"" + *value + "\" is not valid; set " + name +
                        " to comma-separated durations such as 100ms,1s,5s");
    }
    result.push_back(*parsed);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return result;
}

std::string EnvReader::choice_or(const std::string& name, const std::string& fallback,
                                 const std::vector<std::string>& allowed) const {
  const auto value = optional(name);
  if (!value)
    return fallback;
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    throw ConfigError("configuration: " + name + "=\"" + *value + "\" is not valid; set " + name +
                      " to one of: " + join(allowed, ", "));
  }
  return *value;
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& raw) {
  const auto text = trim(raw);
  if (text.empty())
    return std::nullopt;
  std::size_t digits_end = 0;
  while (digits_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits_end])) != 0 ||
          text[digits_end] == '.')) {
    ++digits_end;
  }
  if (digits_end == 0)
    return std::nullopt;
  const auto number_text = text.substr(0, digits_end);
  const auto unit = text.substr(digits_end);
  if (std::count(number_text.begin(), number_text.end(), '.') > 1)
    return std::nullopt;
  char* parse_end = nullptr;
  const double number = std::strtod(number_text.c_str(), &parse_end);
  if (parse_end != number_text.c_str() + number_text.size() || !std::isfinite(number)) {
    return std::nullopt;
  }
  double factor = 0;
  if (unit.empty() || unit == "ms") {
    factor = 1;
  } else if (unit == "s") {
    factor = 1000;
  } else if (unit == "m") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else {
    return std::nullopt;
  }
  const double millis = number * factor;
  if (millis > 1e12)
    return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(millis)));
}

ListenAddress parse_listen_address(const std::string& name, const std::string& text) {
  const auto colon = text.rfind(':');
  const auto fail = [&]() -> ConfigError {
    return ConfigError("configuration: " + name + "=\"" + text + "\" is not valid; set " + name +
                       " to host:port, e.g. 0.0.0.0:8080");
  };
  if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size())
    throw fail();
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const auto port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535)
    throw fail();
  return ListenAddress{host, static_cast<std::uint16_t>(port)};
}

}  // namespace choreo::config
