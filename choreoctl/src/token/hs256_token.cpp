#include "token/hs256_token.hpp"

#include <cstdint>
#include <jwt/jwt.hpp>

namespace choreo::ctl {

std::string make_hs256_token(const std::string& secret, const TokenClaims& claims) {
  // JWT NumericDate claims are whole seconds since the epoch.
  const std::int64_t issued_at =
      std::chrono::duration_cast<std::chrono::seconds>(claims.issued_at.time_since_epoch()).count();
  jwt::jwt_object token{jwt::params::algorithm("HS256"), jwt::params::secret(secret)};
  token.add_claim("sub", claims.subject)
      .add_claim("iat", issued_at)
      .add_claim("exp", issued_at + static_cast<std::int64_t>(claims.ttl.count()));
  if (claims.issuer)
    token.add_claim("iss", *claims.issuer);
  if (claims.audience)
    token.add_claim("aud", *claims.audience);
  if (!claims.roles.empty()) {
    // "realm_access.roles" -> {"realm_access": {"roles": [...]}}
    auto path = claims.roles_claim;
    nlohmann::json value = claims.roles;
    for (auto dot = path.rfind('.'); dot != std::string::npos; dot = path.rfind('.')) {
      value = nlohmann::json{{path.substr(dot + 1), std::move(value)}};
      path.resize(dot);
    }
    token.add_claim(path, value);
  }
  return token.signature();
}

}  // namespace choreo::ctl
