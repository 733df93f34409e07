#include "graphql_client.hpp"

#include "stack_env.hpp"
#include "token/hs256_token.hpp"

namespace choreo::testing {

std::string token_for(const std::string& subject) {
  ctl::TokenClaims claims;
  claims.subject = subject;
  claims.issued_at = std::chrono::system_clock::now();
  claims.ttl = std::chrono::hours(1);
  return ctl::make_hs256_token(StackEnv::current().get("JWT_SECRET"), claims);
}

std::string GraphQLReply::first_error_code() const {
  if (!body.is_object() || !body.contains("errors") || body["errors"].empty())
    return "";
  return body["errors"][0].value("/extensions/code"_json_pointer, "");
}

std::string GraphQLReply::first_error_message() const {
  if (!body.is_object() || !body.contains("errors") || body["errors"].empty())
    return "";
  return body["errors"][0].value("message", "");
}

GraphQLReply graphql(const std::string& query, const nlohmann::json& variables,
                     const std::string& token) {
  nlohmann::json request = {{"query", query}};
  if (!variables.is_null())
    request["variables"] = variables;
  const auto result = http_request(
      "POST", StackEnv::current().get("GRAPHQL_URL"),
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}}, request.dump());
  GraphQLReply reply;
  reply.status = result.status;
  reply.body = nlohmann::json::parse(result.body, nullptr, false);
  reply.raw = result.body;
  if (const auto type = result.headers.find("content-type"); type != result.headers.end()) {
    reply.content_type = type->second;
  }
  return reply;
}

}  // namespace choreo::testing
