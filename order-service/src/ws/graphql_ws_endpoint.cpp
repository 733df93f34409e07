#include "ws/graphql_ws_endpoint.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "api/graphql_endpoint.hpp"
#include "config/env.hpp"
#include "runtime/interruptible_sleep.hpp"
#include "ws/token_expiry.hpp"

namespace choreo::order_service::ws {
namespace {

// How often the clock looks at every connection: the precision of the init deadline and expiry.
constexpr std::chrono::milliseconds kClockPeriod{200};

}  // namespace

GraphQLWsSettings load_graphql_ws_settings(const config::EnvReader& env) {
  GraphQLWsSettings settings;
  settings.protocol.init_timeout =
      env.duration_or("WS_INIT_TIMEOUT", settings.protocol.init_timeout);
  settings.protocol.max_operations = static_cast<std::size_t>(env.integer_or(
      "WS_MAX_OPERATIONS", static_cast<std::int64_t>(settings.protocol.max_operations), 1, 10'000));
  const auto rate = env.integer_or("WS_MAX_MESSAGES_PER_SECOND", 50, 1, 100'000);
  settings.protocol.messages_per_second = static_cast<double>(rate);
  settings.protocol.message_burst = static_cast<double>(rate * 2);
  settings.transport.message_limit = static_cast<std::size_t>(
      env.integer_or("WS_MAX_MESSAGE_BYTES",
                     static_cast<std::int64_t>(settings.transport.message_limit), 1024, 16 << 20));
  settings.transport.send_queue_limit = static_cast<std::size_t>(env.integer_or(
      "WS_SEND_QUEUE_BYTES", static_cast<std::int64_t>(settings.transport.send_queue_limit), 1024,
      1 << 30));
  settings.transport.idle_timeout =
      env.duration_or("WS_IDLE_TIMEOUT", settings.transport.idle_timeout);
  settings.worker_threads =
      static_cast<int>(env.integer_or("WS_WORKER_THREADS", settings.worker_threads, 1, 256));
  return settings;
}

GraphQLWsEndpoint::GraphQLWsEndpoint(GraphQLWsSettings settings, const graphql::Schema& schema,
                                     const GraphQLEndpoint& endpoint, graphql::RequestLimits limits,
                                     const auth::TokenVerifier& verifier, db::ConnectionPool& pool)
    : settings_(std::move(settings)),
      verifier_(verifier),
      hub_(settings_.hub, schema, pool, endpoint.read_models()),
      operations_("websocket operations", settings_.worker_threads,
                  settings_.max_queued_operations),
      services_{schema, endpoint, limits, hub_, operations_},
      clock_([this](const std::stop_token& stop) { run_clock(stop); }) {}

GraphQLWsEndpoint::~GraphQLWsEndpoint() {
  clock_.request_stop();
  if (clock_.joinable())
    clock_.join();
  operations_.stop();
  hub_.stop();
}

std::vector<db::PreparedStatement> GraphQLWsEndpoint::prepared_statements() {
  return SubscriptionHub::prepared_statements();
}

void GraphQLWsEndpoint::mount(http::Router& router, const std::string& path) {
  http::WebSocketRoute route;
  route.subprotocols = {kSubprotocol};
  route.limits = settings_.transport;
  route.factory = [this](const http::HttpRequest&,
                         std::shared_ptr<http::WebSocketConnection> socket) {
    return open(std::move(socket));
  };
  router.websocket(path, std::move(route));
}

std::shared_ptr<http::WebSocketHandler> GraphQLWsEndpoint::open(
    std::shared_ptr<http::WebSocketConnection> socket) {
  auto authenticate = [this](std::string_view token) {
    Identity identity;
    identity.user = verifier_.verify(token).subject;
    identity.expires_at = token_expiry(token);
    return identity;
  };
  auto session = std::make_shared<GraphQLWsSession>(std::move(socket), services_,
                                                    settings_.protocol, std::move(authenticate));
  std::lock_guard lock(sessions_mutex_);
  sessions_.push_back(session);
  return session;
}

void GraphQLWsEndpoint::run_clock(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    runtime::interruptible_sleep(stop, kClockPeriod);
    std::vector<std::shared_ptr<GraphQLWsSession>> live;
    {
      std::lock_guard lock(sessions_mutex_);
      std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
      live.reserve(sessions_.size());
      for (const auto& weak : sessions_) {
        if (auto session = weak.lock())
          live.push_back(std::move(session));
      }
    }
    for (const auto& session : live)
      session->tick();
  }
}

}  // namespace choreo::order_service::ws
