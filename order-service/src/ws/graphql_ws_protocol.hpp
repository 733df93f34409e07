#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "graphql/values.hpp"

// The graphql-transport-ws protocol (the "GraphQL over WebSocket" protocol of the graphql-ws
// project) as a pure state machine: messages and clock ticks in, actions out. It neither executes
// GraphQL nor touches a socket, so every rule and close code is unit-tested without either.
namespace choreo::order_service::ws {

inline constexpr const char* kSubprotocol = "graphql-transport-ws";

namespace close_code {
inline constexpr std::uint16_t kGoingAway = 1001;         // the server is stopping
inline constexpr std::uint16_t kPolicyViolation = 1008;   // too many messages
inline constexpr std::uint16_t kInvalidMessage = 4400;    // not a message of the protocol
inline constexpr std::uint16_t kUnauthorized = 4401;      // subscribe before connection_ack
inline constexpr std::uint16_t kForbidden = 4403;         // bad or expired token
inline constexpr std::uint16_t kInitTimeout = 4408;       // no connection_init in time
inline constexpr std::uint16_t kSubscriberExists = 4409;  // an id that is already running
inline constexpr std::uint16_t kTooManyInitRequests = 4429;
}  // namespace close_code

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

struct ProtocolSettings {
  std::chrono::milliseconds init_timeout{std::chrono::seconds(10)};  // WS_INIT_TIMEOUT
  std::size_t max_operations = 100;  // running at once per connection (WS_MAX_OPERATIONS)
  std::size_t max_id_length = 128;
  // A token bucket: a burst of this many messages, refilled at messages_per_second
  // (WS_MAX_MESSAGES_PER_SECOND); a client that empties it is closed with 1008.
  double messages_per_second = 50;
  double message_burst = 100;
};

// Who a connection acts for, from its token.
struct Identity {
  std::string user;                    // the token's sub
  std::optional<WallTime> expires_at;  // the token's exp
};

// Verifies a token (as sent in connection_init); throws an exception whose what() is safe to
// show the client when the token does not authenticate anyone.
using Authenticator = std::function<Identity(std::string_view token)>;

struct OperationRequest {
  std::string id;
  std::string query;
  std::optional<std::string> operation_name;
  graphql::InputObject variables;
};

namespace action {
struct Send {
  std::string text;
};
struct Close {
  std::uint16_t code = 0;
  std::string reason;
};
// The client subscribed: prepare and run the operation, then answer with next/error/complete.
struct Start {
  OperationRequest request;
};
// The client completed an operation: stop delivering it (no message is sent back).
struct Stop {
  std::string id;
};
}  // namespace action

using Action = std::variant<action::Send, action::Close, action::Start, action::Stop>;
using Actions = std::vector<Action>;

class GraphQLWsProtocol {
 public:
  GraphQLWsProtocol(ProtocolSettings settings, Authenticator authenticate, SteadyTime opened_at);

  // A text message from the client.
  Actions receive(std::string_view text, SteadyTime now);
  // Call regularly: the connection_init deadline and the token's expiry.
  Actions tick(SteadyTime now, WallTime wall_now);

  // The server's answers for a running operation; nothing when the id is not running (the
  // client completed it meanwhile). `payload` is an execution result as JSON text.
  Actions next(const std::string& id, const std::string& payload);
  // Ends the operation with `errors` (a JSON array of GraphQL errors).
  Actions error(const std::string& id, const std::string& errors);
  Actions complete(const std::string& id);

  // The server is stopping: completes every running operation, then closes with 1001.
  Actions shutdown();

  bool acknowledged() const { return phase_ == Phase::kAcknowledged; }
  bool closed() const { return phase_ == Phase::kClosed; }
  // Valid once acknowledged().
  const Identity& identity() const { return identity_; }
  bool running(const std::string& id) const { return running_.count(id) != 0; }
  std::size_t running_count() const { return running_.size(); }

 private:
  enum class Phase { kAwaitingInit, kAcknowledged, kClosed };

  Actions close(std::uint16_t code, std::string reason);
  // A `complete` for every running operation, then the close.
  Actions complete_all_and_close(std::uint16_t code, std::string reason);
  Actions on_init(const nlohmann::json& message);
  Actions on_subscribe(const nlohmann::json& message);
  bool take_message_token(SteadyTime now);

  ProtocolSettings settings_;
  Authenticator authenticate_;
  SteadyTime init_deadline_;
  Phase phase_ = Phase::kAwaitingInit;
  bool init_received_ = false;
  Identity identity_;
  std::set<std::string> running_;
  double tokens_;
  SteadyTime refilled_at_;
};

}  // namespace choreo::order_service::ws
