#include "bus/headers_json.hpp"

#include <nlohmann/json.hpp>

namespace choreo::bus {

std::string headers_to_json(const std::map<std::string, std::string>& headers) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : headers)
    object[name] = value;
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::map<std::string, std::string> headers_from_json(std::string_view json) {
  std::map<std::string, std::string> headers;
  if (json == "{}")
    return headers;
  const auto object = nlohmann::json::parse(json, nullptr, false);
  if (!object.is_object())
    return headers;
  for (const auto& [name, value] : object.items()) {
    if (value.is_string())
      headers.emplace(name, value.get<std::string>());
  }
  return headers;
}

}  // namespace choreo::bus
