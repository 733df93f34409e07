#include "ws/graphql_ws_session.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <type_traits>
#include <variant>

#include "api/graphql_endpoint.hpp"
#include "graphql/errors.hpp"
#include "ws/subscription_filter.hpp"
#include "ws/work_queue.hpp"

namespace choreo::order_service::ws {
namespace {

// The payload of an `error` message: a JSON array of GraphQL errors.
std::string error_array(const std::vector<graphql::GraphQLError>& errors) {
  std::string out = "[";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i != 0)
      out += ',';
    graphql::write_json(errors[i], out);
  }
  return out + "]";
}

std::string error_array(const std::string& message, const char* code) {
  graphql::GraphQLError error;
  error.message = message;
  error.code = code;
  return error_array(std::vector{error});
}

}  // namespace

GraphQLWsSession::GraphQLWsSession(std::shared_ptr<http::WebSocketConnection> connection,
                                   const SessionServices& services, ProtocolSettings settings,
                                   Authenticator authenticate)
    : connection_(std::move(connection)),
      services_(services),
      protocol_(settings, std::move(authenticate), std::chrono::steady_clock::now()) {}

void GraphQLWsSession::on_message(std::string message) {
  std::lock_guard lock(mutex_);
  apply(protocol_.receive(message, std::chrono::steady_clock::now()));
}

void GraphQLWsSession::on_shutdown() {
  std::lock_guard lock(mutex_);
  apply(protocol_.shutdown());
}

void GraphQLWsSession::on_close() {
  std::lock_guard lock(mutex_);
  ended_ = true;
  drop_subscriptions();
}

void GraphQLWsSession::tick() {
  std::lock_guard lock(mutex_);
  if (!ended_)
    apply(protocol_.tick(std::chrono::steady_clock::now(), std::chrono::system_clock::now()));
}

void GraphQLWsSession::deliver(const std::string& id, const std::string& result) {
  std::lock_guard lock(mutex_);
  apply(protocol_.next(id, result));
}

void GraphQLWsSession::apply(Actions actions) {
  for (auto& action : actions) {
    std::visit(
        [this](auto& step) {
          using Step = std::decay_t<decltype(step)>;
          if constexpr (std::is_same_v<Step, action::Send>) {
            connection_->send_text(std::move(step.text));
          } else if constexpr (std::is_same_v<Step, action::Close>) {
            drop_subscriptions();
            connection_->close(step.code, std::move(step.reason));
          } else if constexpr (std::is_same_v<Step, action::Start>) {
            start(std::move(step.request));
          } else {
            stop(step.id);
          }
        },
        action);
  }
}

void GraphQLWsSession::start(OperationRequest request) {
  // Prepared here, on the connection's strand (parsing and validation are bounded by the message
  // size and the request limits): a subscription is then registered before the next message of
  // the client is read, so a client that pings after subscribing knows the pong means "listening".
  auto preparation =
      graphql::prepare(services_.schema, request.query, request.operation_name, services_.limits);
  if (!preparation.errors.empty()) {
    apply(protocol_.error(request.id, error_array(preparation.errors)));
    return;
  }
  auto& operation = *preparation.prepared;
  if (operation.type() == graphql::OperationType::kSubscription) {
    Subscription subscription;
    try {
      subscription.order_id = order_id_filter(operation, request.variables);
    } catch (const FilterError& error) {
      apply(protocol_.error(request.id,
                            error_array(error.what(), graphql::error_code::kBadUserInput)));
      return;
    }
    subscription.user = protocol_.identity().user;
    subscription.id = request.id;
    subscription.operation = std::move(operation);
    subscription.variables = std::move(request.variables);
    subscription.sink = weak_from_this();
    subscriptions_[request.id] = services_.hub.add(std::move(subscription));
    return;
  }
  const std::string id = request.id;
  const bool queued =
      services_.operations.post([self = shared_from_this(), user = protocol_.identity().user,
                                 operation = std::move(operation), request = std::move(request)] {
        self->run_operation(user, operation, request);
      });
  if (!queued) {
    apply(protocol_.error(
        id, error_array("The server is busy; try again.", graphql::error_code::kInternal)));
  }
}

void GraphQLWsSession::stop(const std::string& id) {
  const auto found = subscriptions_.find(id);
  if (found == subscriptions_.end())
    return;
  services_.hub.remove(found->second);
  subscriptions_.erase(found);
}

void GraphQLWsSession::drop_subscriptions() {
  for (const auto& [id, key] : subscriptions_)
    services_.hub.remove(key);
  subscriptions_.clear();
}

void GraphQLWsSession::run_operation(const std::string& user,
                                     const graphql::PreparedOperation& operation,
                                     const OperationRequest& request) {
  {
    std::lock_guard lock(mutex_);
    if (ended_ || !protocol_.running(request.id))
      return;  // completed by the client, or gone, while it waited
  }
  int failure_status = 0;
  const auto result = services_.endpoint.run(user, operation, request.variables, failure_status);
  if (failure_status == 503) {
    fail(request.id, error_array("The service is temporarily unavailable; try again.",
                                 graphql::error_code::kInternal));
  } else if (failure_status != 0) {
    fail(request.id, error_array("Internal server error.", graphql::error_code::kInternal));
  } else if (!result.data.has_value()) {
    // Failed before execution (variables that do not coerce): no result to stream.
    fail(request.id, error_array(result.errors));
  } else {
    finish(request.id, graphql::to_json(result));
  }
}

void GraphQLWsSession::finish(const std::string& id, const std::string& result) {
  std::lock_guard lock(mutex_);
  apply(protocol_.next(id, result));
  apply(protocol_.complete(id));
}

void GraphQLWsSession::fail(const std::string& id, const std::string& errors) {
  std::lock_guard lock(mutex_);
  apply(protocol_.error(id, errors));
}

}  // namespace choreo::order_service::ws
