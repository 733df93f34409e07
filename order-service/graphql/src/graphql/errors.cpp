#include "graphql/errors.hpp"

#include "graphql/values.hpp"

namespace choreo::graphql {

void write_json(const GraphQLError& error, std::string& out) {
  out += "{\"message\":";
  write_json_string(error.message, out);
  if (!error.locations.empty()) {
    out += ",\"locations\":[";
    for (std::size_t i = 0; i < error.locations.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      out += "{\"line\":" + std::to_string(error.locations[i].line) +
             ",\"column\":" + std::to_string(error.locations[i].column) + "}";
    }
    out += ']';
  }
  if (!error.path.empty()) {
    out += ",\"path\":[";
    for (std::size_t i = 0; i < error.path.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      if (const auto* key = std::get_if<std::string>(&error.path[i])) {
        write_json_string(*key, out);
      } else {
        out += std::to_string(std::get<std::size_t>(error.path[i]));
      }
    }
    out += ']';
  }
  out += ",\"extensions\":{\"code\":";
  write_json_string(error.code, out);
  out += "}}";
}

}  // namespace choreo::graphql
