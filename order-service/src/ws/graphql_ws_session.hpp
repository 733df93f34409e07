#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http/websocket.hpp"
#include "ws/graphql_ws_protocol.hpp"
#include "ws/subscription_hub.hpp"

namespace choreo::graphql {
class Schema;
}

namespace choreo::order_service {
class GraphQLEndpoint;
}

namespace choreo::order_service::ws {

class WorkQueue;

// What every session of one endpoint shares.
struct SessionServices {
  const graphql::Schema& schema;
  const GraphQLEndpoint& endpoint;  // runs queries and mutations exactly as over HTTP
  graphql::RequestLimits limits;
  SubscriptionHub& hub;
  WorkQueue& operations;  // where prepare and execute run (they block on the database)
};

// One graphql-transport-ws connection: feeds the protocol state machine and carries out its
// actions. Subscriptions are registered with the hub at once, queries and mutations run on the
// work queue.
// The transport calls the WebSocketHandler members on the connection's strand; deliver() and
// operation results arrive on worker threads; one mutex orders them all.
class GraphQLWsSession final : public http::WebSocketHandler,
                               public SubscriptionSink,
                               public std::enable_shared_from_this<GraphQLWsSession> {
 public:
  GraphQLWsSession(std::shared_ptr<http::WebSocketConnection> connection,
                   const SessionServices& services, ProtocolSettings settings,
                   Authenticator authenticate);

  void on_message(std::string message) override;
  void on_shutdown() override;
  void on_close() override;

  // The init deadline and the token's expiry (called by the endpoint's clock thread).
  void tick();

  void deliver(const std::string& id, const std::string& result) override;

 private:
  // With mutex_ held.
  void apply(Actions actions);
  void start(OperationRequest request);
  void stop(const std::string& id);
  void drop_subscriptions();

  // On the work queue: a query or mutation.
  void run_operation(const std::string& user, const graphql::PreparedOperation& operation,
                     const OperationRequest& request);

  void finish(const std::string& id, const std::string& result);  // next + complete
  void fail(const std::string& id, const std::string& errors);

  const std::shared_ptr<http::WebSocketConnection> connection_;
  const SessionServices& services_;
  std::mutex mutex_;
  GraphQLWsProtocol protocol_;
  std::map<std::string, SubscriptionHub::Key> subscriptions_;  // operation id -> hub key
  bool ended_ = false;
};

}  // namespace choreo::order_service::ws
