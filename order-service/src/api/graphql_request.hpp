#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "graphql/values.hpp"
#include "http/http_types.hpp"

// GraphQL-over-HTTP, request side: where a request's query, operation name and variables come
// from (the JSON body of a POST, the URL of a GET), and which media type the answer takes.
namespace choreo::order_service {

struct GraphQLRequest {
  std::string query;
  std::optional<std::string> operation_name;
  graphql::InputObject variables;
};

// A request that is not a GraphQL request at all; `status` is the HTTP status to answer with.
class MalformedRequest : public std::runtime_error {
 public:
  MalformedRequest(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// Throws MalformedRequest: 415 for a POST body that is not JSON, 400 for a missing query or
// variables that are not an object.
GraphQLRequest decode_graphql_request(const http::HttpRequest& request);

// "a%20b+c" -> "a b c"; throws MalformedRequest on a bad escape.
std::string percent_decode(std::string_view text);

enum class ResponseMediaType {
  kGraphQLResponseJson,  // application/graphql-response+json: status codes carry meaning
  kJson,                 // application/json: always 200 for GraphQL results (legacy clients)
};

// The media type the client accepts: application/graphql-response+json when it lists it (and
// has not refused it with q=0), application/json otherwise.
ResponseMediaType negotiate_media_type(const std::string* accept_header);
const char* content_type_of(ResponseMediaType type);

}  // namespace choreo::order_service
