#include "operator_access.hpp"

#include <nlohmann/json.hpp>

#include "config/env.hpp"

namespace choreo::event_monitor {
namespace {

http::HttpResponse error(int status, const std::string& message) {
  return http::HttpResponse::json(status, nlohmann::json{{"error", message}}.dump())
      .with_header("Cache-Control", "no-store");
}

}  // namespace

OperatorAccess::OperatorAccess(std::shared_ptr<const auth::TokenVerifier> verifier)
    : verifier_(std::move(verifier)) {}

std::optional<http::HttpResponse> OperatorAccess::refusal(const http::HttpRequest& request) const {
  const auto* header = request.header("authorization");
  std::optional<Refusal> refused;
  try {
    refused = refusal_of_token(verifier_ ? std::string(auth::TokenVerifier::bearer_token(header))
                                         : std::string());
  } catch (const auth::Unauthenticated& failure) {
    refused = Refusal{401, failure.what()};
  }
  if (!refused)
    return std::nullopt;
  auto response = error(refused->status, refused->message);
  if (refused->status == 401)
    response.with_header("WWW-Authenticate", "Bearer");
  return response;
}

std::optional<OperatorAccess::Refusal> OperatorAccess::refusal_of_token(
    const std::string& token) const {
  if (!verifier_)
    return Refusal{503,
                   "operator access is not configured: set OIDC_ISSUER_URL (an identity "
                   "provider) or JWT_SECRET for the event monitor"};
  try {
    if (!verifier_->verify(token).has_role(auth::kOperatorRole))
      return Refusal{403, "this token has no operator role (choreoctl token --operator makes one)"};
    return std::nullopt;
  } catch (const auth::Unauthenticated& failure) {
    return Refusal{401, failure.what()};
  }
}

std::optional<auth::TokenSettings> load_operator_token_settings(const config::EnvReader& env) {
  if (!auth::token_verification_configured(env))
    return std::nullopt;
  return auth::load_token_settings(env);
}

}  // namespace choreo::event_monitor
