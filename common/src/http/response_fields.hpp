#pragma once

// Internal to the HTTP clients (http_client.cpp, https_fetch.cpp): it pulls in Beast.

#include <boost/beast/http/message.hpp>
#include <cctype>
#include <map>
#include <string>

namespace choreo::http {

// A response's header fields by lower-case name (repeated ones: the last wins), as both clients
// hand them to their callers.
template <typename Body>
std::map<std::string, std::string> fields_by_lower_case_name(
    const boost::beast::http::response<Body>& response) {
  std::map<std::string, std::string> fields;
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    fields[name] = std::string(field.value());
  }
  return fields;
}

}  // namespace choreo::http
