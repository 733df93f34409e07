#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "graphql/executor.hpp"
#include "graphql/values.hpp"

namespace choreo::order_service::ws {

// A subscription argument that cannot be used (a variable of the wrong JSON type, say). what()
// is safe to show the client.
class FilterError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The `orderId` of a prepared `orderStatusUpdated` subscription, from its literal or its variable
// (or the variable's default): nullopt when absent or null, meaning "all of my orders". The root
// field may sit in a fragment; validation has already made it the operation's only root field.
// Throws FilterError when the value is neither a string nor an integer.
std::optional<std::string> order_id_filter(const graphql::PreparedOperation& operation,
                                           const graphql::InputObject& variables);

}  // namespace choreo::order_service::ws
