#include "ws/graphql_ws_protocol.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/json_input.hpp"
#include "graphql/errors.hpp"

namespace choreo::order_service::ws {
namespace {

using nlohmann::json;

std::string message_text(const std::string& id, const char* type) {
  return json{{"id", id}, {"type", type}}.dump();
}

// {"id":..,"type":..,"payload":<raw>} without re-parsing the payload, which the engine already
// serialized.
std::string message_text(const std::string& id, const char* type, const std::string& payload) {
  return R"({"id":)" + json(id).dump() + R"(,"type":")" + type + R"(","payload":)" + payload + "}";
}

// An `error` message with one request error (BAD_USER_INPUT).
std::string error_message(const std::string& id, const std::string& text) {
  json error = {{"message", text}, {"extensions", {{"code", graphql::error_code::kBadUserInput}}}};
  return message_text(id, "error", json::array({std::move(error)}).dump());
}

bool starts_with_bearer(std::string_view value) {
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() < kScheme.size())
    return false;
  return std::equal(kScheme.begin(), kScheme.end(), value.begin(), [](char a, char b) {
    return a == static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  return text;
}

const json* member(const json& object, const char* name) {
  const auto found = object.find(name);
  return found == object.end() ? nullptr : &*found;
}

}  // namespace

GraphQLWsProtocol::GraphQLWsProtocol(ProtocolSettings settings, Authenticator authenticate,
                                     SteadyTime opened_at)
    : settings_(settings),
      authenticate_(std::move(authenticate)),
      init_deadline_(opened_at + settings.init_timeout),
      tokens_(settings.message_burst),
      refilled_at_(opened_at) {}

Actions GraphQLWsProtocol::close(std::uint16_t code, std::string reason) {
  phase_ = Phase::kClosed;
  running_.clear();
  return {action::Close{code, std::move(reason)}};
}

Actions GraphQLWsProtocol::complete_all_and_close(std::uint16_t code, std::string reason) {
  Actions actions;
  actions.reserve(running_.size() + 1);
  for (const auto& id : running_)
    actions.emplace_back(std::in_place_type<action::Send>, message_text(id, "complete"));
  actions.emplace_back(std::in_place_type<action::Close>, code, std::move(reason));
  phase_ = Phase::kClosed;
  running_.clear();
  return actions;
}

bool GraphQLWsProtocol::take_message_token(SteadyTime now) {
  const std::chrono::duration<double> elapsed = now - refilled_at_;
  refilled_at_ = now;
  tokens_ = std::min(settings_.message_burst,
                     tokens_ + std::max(0.0, elapsed.count()) * settings_.messages_per_second);
  if (tokens_ < 1.0)
    return false;
  tokens_ -= 1.0;
  return true;
}

Actions GraphQLWsProtocol::receive(std::string_view text, SteadyTime now) {
  if (phase_ == Phase::kClosed)
    return {};
  if (!take_message_token(now))
    return close(close_code::kPolicyViolation, "Too many messages");
  const json message = json::parse(text, nullptr, false);
  const json* type = message.is_object() ? member(message, "type") : nullptr;
  if (type == nullptr || !type->is_string())
    return close(close_code::kInvalidMessage, "Invalid message received");
  const auto& name = type->get_ref<const std::string&>();

  if (name == "ping") {
    return {action::Send{R"({"type":"pong"})"}};
  }
  if (name == "pong") {
    return {};
  }
  if (name == "connection_init") {
    return on_init(message);
  }
  if (name == "subscribe") {
    return on_subscribe(message);
  }
  if (name == "complete") {
    const json* id = member(message, "id");
    if (id == nullptr || !id->is_string())
      return close(close_code::kInvalidMessage, "Invalid message received: complete needs an id");
    const auto& key = id->get_ref<const std::string&>();
    if (running_.erase(key) == 0)
      return {};  // already finished on our side: the messages crossed
    return {action::Stop{key}};
  }
  return close(close_code::kInvalidMessage, "Invalid message received: unexpected type " + name);
}

Actions GraphQLWsProtocol::on_init(const json& message) {
  if (init_received_)
    return close(close_code::kTooManyInitRequests, "Too many initialisation requests");
  init_received_ = true;
  const json* payload = member(message, "payload");
  if (payload != nullptr && !payload->is_null() && !payload->is_object())
    return close(close_code::kInvalidMessage,
                 "Invalid message received: payload must be an object");

  std::string token;
  const json* authorization = nullptr;
  const json* raw_token = nullptr;
  if (payload != nullptr && payload->is_object()) {
    authorization = member(*payload, "Authorization");
    if (authorization == nullptr)
      authorization = member(*payload, "authorization");
    raw_token = member(*payload, "token");
  }
  if (authorization != nullptr && authorization->is_string()) {
    const std::string_view value = authorization->get_ref<const std::string&>();
    if (!starts_with_bearer(value))
      return close(close_code::kForbidden, "Forbidden: Authorization must be \"Bearer <token>\"");
    token = std::string(trim(value.substr(7)));
  } else if (raw_token != nullptr && raw_token->is_string()) {
    token = raw_token->get<std::string>();
  } else {
    return close(close_code::kForbidden,
                 "Forbidden: connection_init needs payload.Authorization or payload.token");
  }
  try {
    identity_ = authenticate_(token);
  } catch (const std::exception& error) {
    return close(close_code::kForbidden, std::string("Forbidden: ") + error.what());
  }
  phase_ = Phase::kAcknowledged;
  return {action::Send{R"({"type":"connection_ack"})"}};
}

Actions GraphQLWsProtocol::on_subscribe(const json& message) {
  const json* id = member(message, "id");
  const json* payload = member(message, "payload");
  if (id == nullptr || !id->is_string() || id->get_ref<const std::string&>().empty() ||
      id->get_ref<const std::string&>().size() > settings_.max_id_length) {
    return close(close_code::kInvalidMessage, "Invalid message received: subscribe needs an id");
  }
  const json* query =
      payload != nullptr && payload->is_object() ? member(*payload, "query") : nullptr;
  if (query == nullptr || !query->is_string()) {
    return close(close_code::kInvalidMessage,
                 "Invalid message received: subscribe needs payload.query");
  }
  const json* operation_name = member(*payload, "operationName");
  const json* variables = member(*payload, "variables");
  if ((operation_name != nullptr && !operation_name->is_null() && !operation_name->is_string()) ||
      (variables != nullptr && !variables->is_null() && !variables->is_object())) {
    return close(close_code::kInvalidMessage,
                 "Invalid message received: operationName or variables has the wrong type");
  }
  // Checked after the message's shape: an unacknowledged client learns about its order of
  // messages, a broken one about its message.
  if (phase_ != Phase::kAcknowledged)
    return close(close_code::kUnauthorized, "Unauthorized");
  const auto& key = id->get_ref<const std::string&>();
  if (running_.count(key) != 0)
    return close(close_code::kSubscriberExists, "Subscriber for " + key + " already exists");

  OperationRequest request;
  request.id = key;
  request.query = query->get<std::string>();
  if (operation_name != nullptr && operation_name->is_string())
    request.operation_name = operation_name->get<std::string>();
  if (variables != nullptr && variables->is_object()) {
    try {
      auto converted = to_input_value(*variables);
      if (auto* object = std::get_if<graphql::InputObject>(&converted.kind))
        request.variables = std::move(*object);
    } catch (const JsonInputError& failure) {
      return {action::Send{error_message(key, failure.what())}};
    }
  }
  if (running_.size() >= settings_.max_operations) {
    return {action::Send{error_message(key, "Too many operations on this connection (at most " +
                                                std::to_string(settings_.max_operations) + ").")}};
  }
  running_.insert(key);
  return {action::Start{std::move(request)}};
}

Actions GraphQLWsProtocol::tick(SteadyTime now, WallTime wall_now) {
  if (phase_ == Phase::kAwaitingInit && now >= init_deadline_)
    return close(close_code::kInitTimeout, "Connection initialisation timeout");
  if (phase_ == Phase::kAcknowledged && identity_.expires_at && wall_now >= *identity_.expires_at) {
    return complete_all_and_close(close_code::kForbidden, "Forbidden: token expired");
  }
  return {};
}

Actions GraphQLWsProtocol::next(const std::string& id, const std::string& payload) {
  if (phase_ == Phase::kClosed || running_.count(id) == 0)
    return {};
  return {action::Send{message_text(id, "next", payload)}};
}

Actions GraphQLWsProtocol::error(const std::string& id, const std::string& errors) {
  if (phase_ == Phase::kClosed || running_.erase(id) == 0)
    return {};
  return {action::Send{message_text(id, "error", errors)}};
}

Actions GraphQLWsProtocol::complete(const std::string& id) {
  if (phase_ == Phase::kClosed || running_.erase(id) == 0)
    return {};
  return {action::Send{message_text(id, "complete")}};
}

Actions GraphQLWsProtocol::shutdown() {
  if (phase_ == Phase::kClosed)
    return {};
  return complete_all_and_close(close_code::kGoingAway, "Server shutting down");
}

}  // namespace choreo::order_service::ws
