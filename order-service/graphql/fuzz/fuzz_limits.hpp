#pragma once

#include "graphql/executor.hpp"

namespace choreo::graphql::fuzzing {

// The service's own limits, with a token cap low enough that every input stays quick to run.
inline RequestLimits fuzz_limits() {
  RequestLimits limits;
  limits.max_tokens = 5000;
  return limits;
}

}  // namespace choreo::graphql::fuzzing
