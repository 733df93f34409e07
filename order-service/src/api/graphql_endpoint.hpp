#pragma once

#include <string>

#include "auth/token_verifier.hpp"
#include "db/connection_pool.hpp"
#include "graphql/executor.hpp"
#include "graphql/schema.hpp"
#include "http/router.hpp"
#include "runtime/fault_points.hpp"

namespace choreo::config {
class EnvReader;
}

namespace choreo::order_service {

struct GraphQLEndpointSettings {
  graphql::RequestLimits limits;
};

// GRAPHQL_MAX_DEPTH (15), GRAPHQL_MAX_ALIASES (100), GRAPHQL_MAX_FIELDS (1000).
GraphQLEndpointSettings load_graphql_endpoint_settings(const config::EnvReader& env);

// POST and GET /graphql (GraphQL-over-HTTP): authenticates the bearer token, decodes the request,
// prepares the operation, runs it in one database transaction as order_api with the user set
// (row-level security applies to every query), and encodes the answer for the negotiated media
// type. Runs on the HTTP server's worker threads: it blocks on the database.
class GraphQLEndpoint {
 public:
  GraphQLEndpoint(GraphQLEndpointSettings settings, const graphql::Schema& schema,
                  const TokenVerifier& verifier, db::ConnectionPool& pool,
                  const runtime::FaultPoints& faults);

  // The statements the endpoint's transactions use, for the pool to prepare.
  static std::vector<db::PreparedStatement> prepared_statements();

  void mount(http::Router& router, const std::string& path = "/graphql");
  http::HttpResponse handle(const http::HttpRequest& request) const;

  // Executes a prepared query or mutation for `user` in one transaction (order_api, the user set);
  // retried once when the database failed transiently. When no result could be had at all, sets
  // failure_status (503 unavailable, 500 otherwise). Blocks; thread-safe. Every transport (HTTP,
  // WebSocket) runs operations through here, so they behave the same.
  graphql::ExecutionResult run(const std::string& user, const graphql::PreparedOperation& operation,
                               const graphql::InputObject& variables, int& failure_status) const;

 private:
  GraphQLEndpointSettings settings_;
  const graphql::Schema& schema_;
  const TokenVerifier& verifier_;
  db::ConnectionPool& pool_;
  const runtime::FaultPoints& faults_;
};

}  // namespace choreo::order_service
