#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace choreo::ctl {

// The claims of a token for the order service: `sub` names the user, `iat`/`exp` bound its life,
// `iss`/`aud` are added only when given (the service checks them only when it is configured to).
struct TokenClaims {
  std::string subject;
  std::chrono::system_clock::time_point issued_at;
  std::chrono::seconds ttl{0};
  std::optional<std::string> issuer;
  std::optional<std::string> audience;
};

// A signed HS256 JWT (header.payload.signature).
std::string make_hs256_token(const std::string& secret, const TokenClaims& claims);

}  // namespace choreo::ctl
