#pragma once

#include <vector>

#include "graphql/ast.hpp"
#include "graphql/errors.hpp"
#include "graphql/executor.hpp"
#include "graphql/schema_impl.hpp"

namespace choreo::graphql {

// The spec's validation rules (§5) for a schema of objects, scalars, enums and input objects,
// plus the request limits. Every error is GRAPHQL_VALIDATION_FAILED and worded like the
// reference implementation's. Linear in the size of the document: nothing expands fragments
// except the limit counters, which remember each fragment's totals, and the field-merging check,
// which only runs once those totals are known to be within the limits.
//
// Literal values for custom scalars are not parsed here; execution does it (a bad Decimal is the
// client's BAD_USER_INPUT, with the field's path).
std::vector<GraphQLError> validate(const Schema::Impl& schema, const Document& document,
                                   const RequestLimits& limits);

}  // namespace choreo::graphql
