#include <memory>
#include <string>
#include <utility>

#include "graphql/executor.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema_impl.hpp"
#include "graphql/syntax_error.hpp"
#include "graphql/validation.hpp"

namespace choreo::graphql {

namespace {

// The document is valid (graphql-js validates it too); choosing what to run is what failed.
GraphQLError selection_error(std::string message) {
  return GraphQLError{std::move(message), {}, {}, error_code::kOperationResolutionFailure};
}

}  // namespace

Preparation prepare(const Schema& schema, std::string_view source,
                    const std::optional<std::string>& operation_name, const RequestLimits& limits) {
  Preparation preparation;
  if (source.size() > limits.max_document_bytes) {
    preparation.errors.push_back(GraphQLError{"The document is larger than the maximum of " +
                                                  std::to_string(limits.max_document_bytes) +
                                                  " bytes.",
                                              {},
                                              {},
                                              error_code::kParseFailed});
    return preparation;
  }
  auto document = std::make_shared<Document>();
  try {
    ParseOptions options;
    options.max_tokens = limits.max_tokens;
    *document = parse(source, options);
  } catch (const ParseError& error) {
    preparation.errors.push_back(
        GraphQLError{error.what(), {error.location()}, {}, error_code::kParseFailed});
    return preparation;
  }

  preparation.errors = validate(schema.impl(), *document, limits);
  if (!preparation.errors.empty()) {
    return preparation;
  }

  const OperationDefinition* chosen = nullptr;
  for (const Definition& definition : document->definitions) {
    const auto* operation = std::get_if<OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    if (operation_name) {
      if (operation->name == *operation_name) {
        chosen = operation;
      }
    } else if (chosen != nullptr) {
      preparation.errors.push_back(
          selection_error("Must provide operation name if query contains multiple operations."));
      return preparation;
    } else {
      chosen = operation;
    }
  }
  if (chosen == nullptr) {
    preparation.errors.push_back(
        selection_error(operation_name ? "Unknown operation named \"" + *operation_name + "\"."
                                       : std::string("Must provide an operation.")));
    return preparation;
  }
  preparation.prepared = PreparedOperation{std::move(document), chosen};
  return preparation;
}

}  // namespace choreo::graphql
