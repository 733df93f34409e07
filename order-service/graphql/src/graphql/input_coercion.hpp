#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/errors.hpp"
#include "graphql/schema_impl.hpp"
#include "graphql/values.hpp"

// Input coercion (spec §5.6.1 and §6.1.2 / §6.4.1): literals written in the document and values
// given as variables, turned into InputValues of a declared input type. Shared by validation
// (which checks literals without variables and leaves custom scalars to execution) and execution.

namespace choreo::graphql {

// One reason a value does not coerce.
struct CoercionIssue {
  // Standalone, in the words of the reference implementation's validation rules, e.g.
  // `Expected value of type "ID!", found 5.5.`
  std::string message;
  // The reason alone, for messages that already name the argument or variable and the value, e.g.
  // `Expected type "Decimal". Expected a decimal string`.
  std::string detail;
  // The offending value as messages quote it.
  std::string value_text;
  // Where the value sits inside the argument or variable ("input", "items", 0).
  std::vector<PathSegment> path;
  SourceLocation location;  // literals only: of the offending value
  bool from_custom_scalar = false;
};

// How literal coercion treats variables and custom scalars.
struct LiteralScope {
  // The coerced variables of the operation; nullptr while validating, when variables are checked
  // elsewhere and any variable counts as fine.
  const InputObject* variables = nullptr;
  // Custom scalars parse at execution time, where their failure is a BAD_USER_INPUT error.
  bool run_custom_scalars = true;
};

// Coerces `literal` to `type`, appending every problem to `issues` (the result is meaningless
// when any was added). nullopt means "absent": a variable that was not provided.
std::optional<InputValue> coerce_literal(const Value& literal, const TypeRef& type,
                                         const LiteralScope& scope,
                                         std::vector<CoercionIssue>& issues,
                                         std::vector<PathSegment>& path);

// Coerces a variable's value (already decoded from JSON) to `type`, appending problems to
// `issues` (at most a few dozen, so a hostile list cannot make the response huge).
InputValue coerce_variable_value(const InputValue& value, const TypeRef& type,
                                 std::vector<CoercionIssue>& issues,
                                 std::vector<PathSegment>& path);

// "input.items[0].sku": a path inside a value, as messages show it, starting with `root`.
std::string describe_value_path(const std::string& root, const std::vector<PathSegment>& path);

}  // namespace choreo::graphql
