#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "graphql/source_location.hpp"

namespace choreo::graphql {

// The codes of docs/api.md ("Errors") that the engine itself produces. Resolvers may use any code.
namespace error_code {
inline constexpr const char* kParseFailed = "GRAPHQL_PARSE_FAILED";
inline constexpr const char* kValidationFailed = "GRAPHQL_VALIDATION_FAILED";
// A valid document that names no operation the request can run (several operations and no
// operationName, or a name it does not have): Apollo Server's name for this request error.
inline constexpr const char* kOperationResolutionFailure = "OPERATION_RESOLUTION_FAILURE";
inline constexpr const char* kBadUserInput = "BAD_USER_INPUT";
inline constexpr const char* kInternal = "INTERNAL_SERVER_ERROR";
}  // namespace error_code

// A response key (field or alias) or a list index.
using PathSegment = std::variant<std::string, std::size_t>;

// One entry of a response's "errors" list.
struct GraphQLError {
  std::string message;
  std::vector<SourceLocation> locations;  // empty when the error has no place in the document
  std::vector<PathSegment> path;          // empty for request errors (parse, validation, ...)
  std::string code;                       // extensions.code
};

// Appends {"message":..,"locations":[..],"path":[..],"extensions":{"code":..}} (locations and
// path only when non-empty).
void write_json(const GraphQLError& error, std::string& out);

// Thrown by a resolver for an error the client should see as written (a bad value, a conflict).
// The engine adds the field's location and path. Any other exception escaping a resolver is
// reported as "Internal server error" with code INTERNAL_SERVER_ERROR: its text never reaches
// the client.
class FieldError : public std::runtime_error {
 public:
  FieldError(const std::string& message, std::string code)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

// Thrown by a scalar's coercion functions when a value is not one of theirs; the engine turns it
// into a BAD_USER_INPUT (or validation) error that names the argument or variable.
class CoercionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A schema that cannot work: an unknown type named by a field, a repeated name, an object
// field without a resolver... Thrown by SchemaBuilder::build(), i.e. at start-up.
class SchemaError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace choreo::graphql
