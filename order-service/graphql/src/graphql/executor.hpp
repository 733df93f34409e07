#pragma once

#include <any>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/errors.hpp"
#include "graphql/schema.hpp"
#include "graphql/values.hpp"

// The request pipeline, in two steps so that a transport can look at the operation between them
// (HTTP GET must refuse a mutation before anything runs):
//   prepare(): parse -> validate against the schema and the limits -> select the operation
//   execute(): coerce variables -> resolve fields -> complete values, collecting field errors

namespace choreo::graphql {

// docs/api.md's defaults. Each breach is a clear GraphQL error, never a crash: the two that are
// checked before or while parsing (size, tokens) are GRAPHQL_PARSE_FAILED, the others
// GRAPHQL_VALIDATION_FAILED.
struct RequestLimits {
  std::size_t max_depth = 15;       // nesting of selection sets, fragments expanded
  std::size_t max_aliases = 100;    // aliased fields in the operation, fragments expanded
  std::size_t max_fields = 1000;    // field selections in the operation, fragments expanded
  std::size_t max_tokens = 50'000;  // lexical tokens in the document (parse step)
  std::size_t max_operations = 10;  // operation definitions in the document
  std::size_t max_document_bytes = 100 * 1024;  // size of the document's text, before parsing
};

// A document that passed validation, and the operation chosen from it. Cheap to copy.
struct PreparedOperation {
  std::shared_ptr<const Document> document;
  const OperationDefinition* operation = nullptr;  // points into *document

  OperationType type() const { return operation->operation; }
};

struct Preparation {
  std::optional<PreparedOperation> prepared;  // set exactly when errors is empty
  // GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED or OPERATION_RESOLUTION_FAILURE
  std::vector<GraphQLError> errors;
};

// Selects the operation named `operation_name`, or the only one when it is absent (several
// operations and no name, or an unknown name, is an OPERATION_RESOLUTION_FAILURE).
Preparation prepare(const Schema& schema, std::string_view source,
                    const std::optional<std::string>& operation_name,
                    const RequestLimits& limits = {});

struct ExecutionOptions {
  std::any root_value;  // the source of the root fields
  // Reaches every resolver as FieldContext::request_context.
  std::any* request_context = nullptr;
  // Told about each exception from a resolver that was not a FieldError, which the client sees
  // only as "Internal server error": the place to log it.
  std::function<void(const std::exception&, const std::vector<PathSegment>&)> on_internal_error;
};

struct ExecutionResult {
  // Absent when the request failed before execution began (e.g. a variable that does not
  // coerce); present, and possibly null, once execution ran.
  std::optional<ResultValue> data;
  std::vector<GraphQLError> errors;
};

// Query and subscription root fields run in document order, mutation root fields serially
// (the spec's rule); field errors null the nearest nullable ancestor.
ExecutionResult execute(const Schema& schema, const PreparedOperation& operation,
                        const InputObject& variables, const ExecutionOptions& options);

// The response body: {"errors":[...],"data":...}, each member only when it applies.
std::string to_json(const ExecutionResult& result);
// The body of a request that failed in prepare(): {"errors":[...]}.
std::string to_json(const std::vector<GraphQLError>& errors);

}  // namespace choreo::graphql
