#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace choreo::ctl {

// The claims of a token for the order service: `sub` names the user, `iat`/`exp` bound its life,
// `iss`/`aud` are added only when given (the service checks them only when it is configured to),
// and the roles (e.g. `operator`) only when there are any, as a list at `roles_claim` (a dotted
// name is a path into nested objects, as auth::TokenSettings reads it).
struct TokenClaims {
  std::string subject;
  std::chrono::system_clock::time_point issued_at;
  std::chrono::seconds ttl{0};
  std::optional<std::string> issuer;
  std::optional<std::string> audience;
  std::vector<std::string> roles;
  std::string roles_claim = "roles";
};

// A signed HS256 JWT (header.payload.signature).
std::string make_hs256_token(const std::string& secret, const TokenClaims& claims);

}  // namespace choreo::ctl
