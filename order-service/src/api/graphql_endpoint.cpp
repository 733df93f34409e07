#include "api/graphql_endpoint.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/api_session.hpp"
#include "api/graphql_request.hpp"
#include "api/order_store.hpp"
#include "config/env.hpp"
#include "db/errors.hpp"
#include "logging/log_context.hpp"

namespace choreo::order_service {
namespace {

constexpr int kAttempts = 2;

http::HttpResponse graphql_response(int status, ResponseMediaType media, std::string body) {
  http::HttpResponse response;
  response.status = status;
  response.content_type = content_type_of(media);
  response.body = std::move(body);
  return response;
}

// A request-level error: {"errors":[{"message":..,"extensions":{"code":..}}]}.
http::HttpResponse error_response(int status, ResponseMediaType media, const std::string& message,
                                  const char* code) {
  graphql::GraphQLError error;
  error.message = message;
  error.code = code;
  return graphql_response(status, media, graphql::to_json(std::vector{error}));
}

bool has_internal_error(const graphql::ExecutionResult& result) {
  for (const auto& error : result.errors) {
    if (error.code == graphql::error_code::kInternal)
      return true;
  }
  return false;
}

std::string path_text(const std::vector<graphql::PathSegment>& path) {
  std::string text;
  for (const auto& segment : path) {
    if (!text.empty())
      text += '.';
    if (const auto* name = std::get_if<std::string>(&segment)) {
      text += *name;
    } else {
      text += std::to_string(std::get<std::size_t>(segment));
    }
  }
  return text;
}

}  // namespace

GraphQLEndpointSettings load_graphql_endpoint_settings(const config::EnvReader& env) {
  GraphQLEndpointSettings settings;
  auto& limits = settings.limits;
  const auto read = [&env](const char* name, std::size_t fallback, std::int64_t max) {
    return static_cast<std::size_t>(
        env.integer_or(name, static_cast<std::int64_t>(fallback), 1, max));
  };
  limits.max_depth = read("GRAPHQL_MAX_DEPTH", limits.max_depth, 100);
  limits.max_aliases = read("GRAPHQL_MAX_ALIASES", limits.max_aliases, 100'000);
  limits.max_fields = read("GRAPHQL_MAX_FIELDS", limits.max_fields, 100'000);
  return settings;
}

GraphQLEndpoint::GraphQLEndpoint(GraphQLEndpointSettings settings, const graphql::Schema& schema,
                                 const auth::TokenVerifier& verifier, db::ConnectionPool& pool,
                                 const ReadModels& read_models, const runtime::FaultPoints& faults)
    : settings_(settings),
      schema_(schema),
      verifier_(verifier),
      pool_(pool),
      read_models_(read_models),
      faults_(faults),
      operations_(std::make_unique<PreparedOperationCache>(schema, settings.limits)) {}

GraphQLEndpoint::~GraphQLEndpoint() = default;

std::vector<db::PreparedStatement> GraphQLEndpoint::prepared_statements() {
  auto statements = OrderStore::prepared_statements();
  // The read models, for when they share this service's database (docs/database.md, "Read
  // models"); ReadModels' own pools prepare them where they do not.
  for (auto& statement : OrderStore::read_model_statements())
    statements.push_back(std::move(statement));
  // The subscription hub's transactions begin with it (the endpoint's own use ApiSession):
  // one round trip for the role and the user, both local to the transaction (set_config(...,
  // true) is SET LOCAL), so a pooled connection never carries them into the next request.
  statements.push_back({"api_begin",
                        "SELECT set_config('role', 'order_api', true),"
                        " set_config('app.user_id', $1, true)"});
  return statements;
}

void GraphQLEndpoint::mount(http::Router& router, const std::string& path) {
  const auto handler = [this](const http::HttpRequest& request) { return handle(request); };
  router.get(path, handler, http::Dispatch::kWorkerThread);
  router.post(path, handler, http::Dispatch::kWorkerThread);
}

http::HttpResponse GraphQLEndpoint::handle(const http::HttpRequest& request) const {
  const auto* traceparent = request.header(tracing::kTraceparentHeader);
  const auto trace = tracing::continue_or_start(traceparent ? *traceparent : "");
  logging::LogScope scope({trace.trace_id, "", ""});
  auto response = respond(request, trace);
  spdlog::debug("graphql: {} {} answered {}", request.method, request.target, response.status);
  return std::move(response).with_header(tracing::kTraceparentHeader, trace.traceparent());
}

http::HttpResponse GraphQLEndpoint::respond(const http::HttpRequest& request,
                                            const tracing::TraceContext& trace) const {
  const auto media = negotiate_media_type(request.header("accept"));
  auth::Principal principal;
  try {
    principal =
        verifier_.verify(auth::TokenVerifier::bearer_token(request.header("authorization")));
  } catch (const auth::Unauthenticated& error) {
    return error_response(401, media, error.what(), "UNAUTHENTICATED")
        .with_header("WWW-Authenticate", "Bearer");
  }

  GraphQLRequest decoded;
  try {
    decoded = decode_graphql_request(request);
  } catch (const MalformedRequest& error) {
    return error_response(error.status(), media, error.what(), graphql::error_code::kBadUserInput);
  }

  auto preparation = operations_->prepare(decoded.query, decoded.operation_name);
  if (!preparation.errors.empty()) {
    // graphql-response+json says "this request was not valid" with the status; plain JSON
    // clients expect 200 and read the errors.
    const int status = media == ResponseMediaType::kGraphQLResponseJson ? 400 : 200;
    return graphql_response(status, media, graphql::to_json(preparation.errors));
  }
  const auto& operation = *preparation.prepared;
  if (operation.type() == graphql::OperationType::kMutation && request.method != "POST") {
    // GET must be safe: a link or a prefetch must never create an order.
    return error_response(405, media, "Mutations are only accepted over POST.",
                          graphql::error_code::kBadUserInput)
        .with_header("Allow", "POST");
  }
  if (operation.type() == graphql::OperationType::kSubscription) {
    return error_response(
        400, media,
        "Subscriptions are served over WebSocket (subprotocol graphql-transport-ws) on this path.",
        graphql::error_code::kBadUserInput);
  }

  int failure_status = 0;
  const auto result = run(principal.subject, operation, decoded.variables, failure_status, trace);
  if (failure_status == 503) {
    return error_response(503, media, "The service is temporarily unavailable; try again.",
                          graphql::error_code::kInternal)
        .with_header("Retry-After", "1");
  }
  if (failure_status != 0) {
    return error_response(failure_status, media, "Internal server error.",
                          graphql::error_code::kInternal);
  }
  const int status =
      media == ResponseMediaType::kGraphQLResponseJson && !result.data.has_value() ? 400 : 200;
  return graphql_response(status, media, graphql::to_json(result));
}

graphql::ExecutionResult GraphQLEndpoint::run(
    const std::string& user, const graphql::PreparedOperation& operation,
    const graphql::InputObject& variables, int& failure_status,
    const std::optional<tracing::TraceContext>& trace) const {
  const bool mutation = operation.type() == graphql::OperationType::kMutation;
  // Only writes store a trace (the order and its events); reads leave no trace behind.
  const std::string traceparent =
      mutation ? (trace ? *trace : tracing::start_trace()).traceparent() : std::string();
  for (int attempt = 1;; ++attempt) {
    bool transient = false;
    bool broken = false;
    try {
      auto connection = pool_.acquire();
      graphql::ExecutionResult result;
      {
        ApiSession session(*connection, user,
                           mutation ? ApiSession::Mode::kReadWrite : ApiSession::Mode::kReadOnly,
                           traceparent);
        OrderStore store(session, read_models_.runners());
        ApiContext context{user, store};
        std::any request_context = &context;
        graphql::ExecutionOptions options;
        options.request_context = &request_context;
        options.on_internal_error = [&](const std::exception& error, const auto& path) {
          transient = transient || db::is_transient(error);
          broken = broken || db::breaks_connection(error);
          spdlog::error("graphql: resolving {} failed: {}", path_text(path), db::describe(error));
        };
        result = graphql::execute(schema_, operation, variables, options);
        if (transient || broken) {
          // Whatever ran is discarded; a mutation is safe to repeat (createOrder is idempotent by
          // identifier), a query trivially so.
          session.abort();
        } else if (has_internal_error(result)) {
          session.abort();  // nothing half-done is committed
        } else {
          session.commit();
          if (mutation) {
            faults_.reach("after_commit_before_publish");
            if (on_mutation_committed_)
              on_mutation_committed_();
          }
        }
      }
      if (broken) {
        connection.mark_broken();
      }
      if (!transient) {
        return result;
      }
      if (attempt >= kAttempts) {
        // The database failed transiently both times. The statements run inside resolvers (the
        // first one carries the session's setup), so this is also how "PostgreSQL is down"
        // shows: an answer to retry later, as when acquiring a connection fails.
        failure_status = 503;
        return {};
      }
    } catch (const std::exception& error) {
      // Acquiring, beginning or committing failed: nothing of this attempt is known to be done.
      if (!db::is_transient(error)) {
        spdlog::error("graphql: request failed: {}", db::describe(error));
        failure_status = 500;
        return {};
      }
      spdlog::warn("graphql: database unavailable (attempt {}): {}", attempt, db::describe(error));
      if (attempt >= kAttempts) {
        failure_status = 503;
        return {};
      }
    }
  }
}

}  // namespace choreo::order_service
