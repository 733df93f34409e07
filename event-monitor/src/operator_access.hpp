#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/token_verifier.hpp"
#include "http/http_types.hpp"

namespace choreo::config {
class EnvReader;
}

namespace choreo::event_monitor {

// Who may read the monitor's operator API (the dashboard's data) and act through it: a bearer
// token with the operator role (auth::kOperatorRole in the roles claim), verified by the same
// verifier as the order service's. /healthz, /readyz and /metrics stay open.
class OperatorAccess {
 public:
  // A null verifier: nothing to verify tokens with is configured, and every operator request is
  // refused with 503 saying what to set (the monitor's own work needs no tokens).
  explicit OperatorAccess(std::shared_ptr<const auth::TokenVerifier> verifier);

  // nullopt when `request` carries an operator's token; otherwise the answer to send instead:
  // 401 (no token, or one that does not authenticate), 403 (not an operator), 503 (not
  // configured).
  std::optional<http::HttpResponse> refusal(const http::HttpRequest& request) const;

  // Why a raw token (as the dashboard's live stream receives it) is refused, with the HTTP
  // status that would say so; nullopt for an operator's token.
  struct Refusal {
    int status = 401;
    std::string message;
  };
  std::optional<Refusal> refusal_of_token(const std::string& token) const;

 private:
  // Shared by copies (the API and the live stream): one verifier, one cache of verified tokens.
  std::shared_ptr<const auth::TokenVerifier> verifier_;
};

// The token settings when JWT_SECRET, OIDC_ISSUER_URL or JWKS_FILE is set
// (auth::load_token_settings: its checks apply), else nullopt.
std::optional<auth::TokenSettings> load_operator_token_settings(const config::EnvReader& env);

}  // namespace choreo::event_monitor
