#include "graphql/executor.hpp"

namespace choreo::graphql {

namespace {

void write_errors(const std::vector<GraphQLError>& errors, std::string& out) {
  out += "\"errors\":[";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    write_json(errors[i], out);
  }
  out += ']';
}

}  // namespace

std::string to_json(const ExecutionResult& result) {
  std::string out = "{";
  if (!result.errors.empty()) {
    write_errors(result.errors, out);
  }
  if (result.data) {
    if (!result.errors.empty()) {
      out += ',';
    }
    out += "\"data\":";
    write_json(*result.data, out);
  }
  out += '}';
  return out;
}

std::string to_json(const std::vector<GraphQLError>& errors) {
  std::string out = "{";
  write_errors(errors, out);
  out += '}';
  return out;
}

}  // namespace choreo::graphql
