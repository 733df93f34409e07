#pragma once

#include <memory>
#include <vector>

#include "graphql/schema_impl.hpp"

namespace choreo::graphql {

// Int, Float, String, Boolean and ID with the coercion rules of the spec (§3.5), reporting
// failures in the reference implementation's words ("Int cannot represent non-integer value: 5.5").
std::vector<std::unique_ptr<TypeDefinition>> make_built_in_scalars();

}  // namespace choreo::graphql
