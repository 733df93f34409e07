#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "http_client.hpp"

namespace choreo::testing {

// A signed HS256 token for `subject`, valid for an hour, made with the stack's JWT_SECRET.
std::string token_for(const std::string& subject);

struct GraphQLReply {
  int status = 0;
  nlohmann::json body;  // discarded when the body was not JSON (keys sorted: see raw for order)
  std::string raw;
  std::string content_type;

  // The first error's extensions.code, or "" when there is none.
  std::string first_error_code() const;
  std::string first_error_message() const;
};

// POSTs {"query","variables"} to the test stack's GRAPHQL_URL with `Authorization: Bearer token`.
GraphQLReply graphql(const std::string& query, const nlohmann::json& variables = nullptr,
                     const std::string& token = token_for("alice"));

}  // namespace choreo::testing
