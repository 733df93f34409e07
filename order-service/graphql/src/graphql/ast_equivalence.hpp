#pragma once

#include "graphql/ast.hpp"

namespace choreo::graphql {

// Whether two trees say the same thing: same definitions, selections, arguments, values and types
// in the same order, ignoring where in the source they were written. Used to check that printing
// and re-parsing loses nothing.
bool equivalent(const Document& a, const Document& b);
bool equivalent(const Value& a, const Value& b);
bool equivalent(const Type& a, const Type& b);

}  // namespace choreo::graphql
