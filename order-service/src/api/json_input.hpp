#pragma once

#include <nlohmann/json_fwd.hpp>
#include <stdexcept>

#include "graphql/values.hpp"

namespace choreo::order_service {

// A request's "variables" are JSON; the engine takes its own value tree.
class JsonInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws JsonInputError past `max_depth` levels of nesting (the conversion recurses) and for
// integers beyond 64 bits.
graphql::InputValue to_input_value(const nlohmann::json& json, int max_depth = 64);

}  // namespace choreo::order_service
