#pragma once

#include <string>

#include "api/order_store.hpp"

namespace choreo::order_service {

// What every resolver of one request shares: who asks, and the store bound to the request's
// transaction. Reaches resolvers as a pointer in FieldContext::request_context.
struct ApiContext {
  std::string user;  // the token's sub
  OrderStore& store;
};

}  // namespace choreo::order_service
