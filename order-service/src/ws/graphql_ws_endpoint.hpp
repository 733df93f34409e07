#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth/token_verifier.hpp"
#include "graphql/executor.hpp"
#include "graphql/schema.hpp"
#include "http/router.hpp"
#include "http/websocket.hpp"
#include "ws/graphql_ws_protocol.hpp"
#include "ws/graphql_ws_session.hpp"
#include "ws/subscription_hub.hpp"
#include "ws/work_queue.hpp"

namespace choreo::config {
class EnvReader;
}

namespace choreo::order_service {
class GraphQLEndpoint;
}

namespace choreo::order_service::ws {

struct GraphQLWsSettings {
  ProtocolSettings protocol;
  http::WebSocketLimits transport;
  int worker_threads = 4;                      // for operations sent over the socket
  std::size_t max_queued_operations = 10'000;  // across all connections
  SubscriptionHubSettings hub;
};

// WS_INIT_TIMEOUT (10s), WS_MAX_MESSAGE_BYTES (65536), WS_SEND_QUEUE_BYTES (1 MiB),
// WS_MAX_MESSAGES_PER_SECOND (50, burst twice that), WS_MAX_OPERATIONS (100 per connection),
// WS_IDLE_TIMEOUT (60s), WS_WORKER_THREADS (4).
GraphQLWsSettings load_graphql_ws_settings(const config::EnvReader& env);

// GraphQL over WebSocket (graphql-transport-ws) on the GraphQL path: owns the subscription hub,
// the workers that run operations sent over sockets, and a clock that enforces each connection's
// init deadline and token expiry.
class GraphQLWsEndpoint {
 public:
  GraphQLWsEndpoint(GraphQLWsSettings settings, const graphql::Schema& schema,
                    const GraphQLEndpoint& endpoint, graphql::RequestLimits limits,
                    const auth::TokenVerifier& verifier, db::ConnectionPool& pool);
  ~GraphQLWsEndpoint();
  GraphQLWsEndpoint(const GraphQLWsEndpoint&) = delete;
  GraphQLWsEndpoint& operator=(const GraphQLWsEndpoint&) = delete;

  // The statements the hub reads with, for the pool to prepare.
  static std::vector<db::PreparedStatement> prepared_statements();

  void mount(http::Router& router, const std::string& path = "/graphql");
  // Starts feeding subscriptions from events.order.status_updated (a startup step: NATS is up).
  void listen(bus::JetStreamClient& bus) { hub_.listen(bus); }

  SubscriptionHub& hub() { return hub_; }

 private:
  std::shared_ptr<http::WebSocketHandler> open(std::shared_ptr<http::WebSocketConnection> socket);
  void run_clock(const std::stop_token& stop);

  const GraphQLWsSettings settings_;
  const auth::TokenVerifier& verifier_;
  SubscriptionHub hub_;
  WorkQueue operations_;
  SessionServices services_;
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<GraphQLWsSession>> sessions_;
  std::jthread clock_;  // last: stops before what it uses goes
};

}  // namespace choreo::order_service::ws
