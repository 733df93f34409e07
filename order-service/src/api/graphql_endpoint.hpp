#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/prepared_operation_cache.hpp"
#include "api/read_models.hpp"
#include "auth/token_verifier.hpp"
#include "db/connection_pool.hpp"
#include "graphql/executor.hpp"
#include "graphql/schema.hpp"
#include "http/router.hpp"
#include "runtime/fault_points.hpp"
#include "tracing/trace_context.hpp"

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
// prepares the operation (remembering the documents it prepared), runs it as order_api with the
// user set (row-level security applies to every query; a mutation in one transaction, see
// ApiSession), and encodes the answer for the negotiated media type. Runs on the HTTP server's
// worker threads: it blocks on the database.
class GraphQLEndpoint {
 public:
  GraphQLEndpoint(GraphQLEndpointSettings settings, const graphql::Schema& schema,
                  const auth::TokenVerifier& verifier, db::ConnectionPool& pool,
                  const ReadModels& read_models, const runtime::FaultPoints& faults);
  ~GraphQLEndpoint();

  // The statements the endpoint's transactions use, for the pool to prepare.
  static std::vector<db::PreparedStatement> prepared_statements();

  // Runs after each committed mutation (its outbox rows are in): wakes the outbox relay. Set
  // before mount().
  void on_mutation_committed(std::function<void()> hook) {
    on_mutation_committed_ = std::move(hook);
  }

  // Where the read models of a request (HTTP or WebSocket) run.
  ReadModelRunners read_models() const { return read_models_.runners(); }

  void mount(http::Router& router, const std::string& path = "/graphql");
  // Continues the request's traceparent header (or starts a trace), logs with it, and answers
  // with the request's own span in a traceparent header.
  http::HttpResponse handle(const http::HttpRequest& request) const;

  // Executes a prepared operation for `user` (order_api, the user set; a mutation in one
  // transaction); retried once when the database failed transiently. When no result could be
  // had at all, sets failure_status (503 unavailable, 500 otherwise). Blocks; thread-safe. Every
  // transport (HTTP, WebSocket) runs operations through here, so they behave the same. A
  // mutation's writes carry `trace` (a new trace when none is given) into the order's events.
  graphql::ExecutionResult run(const std::string& user, const graphql::PreparedOperation& operation,
                               const graphql::InputObject& variables, int& failure_status,
                               const std::optional<tracing::TraceContext>& trace = {}) const;

 private:
  http::HttpResponse respond(const http::HttpRequest& request,
                             const tracing::TraceContext& trace) const;

  GraphQLEndpointSettings settings_;
  const graphql::Schema& schema_;
  const auth::TokenVerifier& verifier_;
  db::ConnectionPool& pool_;
  const ReadModels& read_models_;
  const runtime::FaultPoints& faults_;
  std::function<void()> on_mutation_committed_;
  // Behind a pointer so that handle() stays const: remembering a document changes no outcome.
  std::unique_ptr<PreparedOperationCache> operations_;
};

}  // namespace choreo::order_service
