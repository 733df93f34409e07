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

OperatorAccess::OperatorAccess(std::optional<auth::TokenSettings> settings) {
  if (settings)
    verifier_.emplace(std::move(*settings));
}

std::optional<http::HttpResponse> OperatorAccess::refusal(const http::HttpRequest& request) const {
  if (!verifier_) {
    return error(503, "operator access is not configured: set JWT_SECRET for the event monitor");
  }
  try {
    const auto principal =
        verifier_->verify(auth::TokenVerifier::bearer_token(request.header("authorization")));
    if (!principal.has_role(auth::kOperatorRole)) {
      return error(403, "this token has no operator role (choreoctl token --operator makes one)");
    }
    return std::nullopt;
  } catch (const auth::Unauthenticated& failure) {
    return error(401, failure.what()).with_header("WWW-Authenticate", "Bearer");
  }
}

std::optional<auth::TokenSettings> load_operator_token_settings(const config::EnvReader& env) {
  if (!env.optional("JWT_SECRET"))
    return std::nullopt;
  return auth::load_token_settings(env);
}

}  // namespace choreo::event_monitor
