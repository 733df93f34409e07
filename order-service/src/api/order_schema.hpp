#pragma once

#include "graphql/schema.hpp"

namespace choreo::order_service {

// The schema of docs/api.md with its resolvers. Resolvers expect FieldContext::request_context
// to hold an ApiContext*; Subscription.orderStatusUpdated resolves to its root value (the
// OrderRecord of the event being delivered).
graphql::Schema build_order_schema();

}  // namespace choreo::order_service
