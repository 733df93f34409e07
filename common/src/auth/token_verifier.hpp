#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "auth/key_source.hpp"
#include "http/health.hpp"

namespace choreo::config {
class EnvReader;
}

namespace prometheus {
class Registry;
}

namespace choreo::cache {
template <typename Value>
class LruMap;
}

namespace choreo::auth {

// The role an operator's token carries: the dashboard and every write action outside the
// order flow (dead-letter replay, ...) require it.
inline constexpr std::string_view kOperatorRole = "operator";
inline constexpr std::string_view kDefaultRolesClaim = "roles";
inline constexpr std::string_view kDefaultSubjectClaim = "sub";

struct TokenSettings {
  std::optional<std::string> hs256_secret;  // JWT_SECRET: HS256 tokens are accepted when set
  std::optional<std::string> issuer;        // OIDC_ISSUER_URL: `iss` must match when set
  // OIDC_AUDIENCE (default OIDC_CLIENT_ID): `aud` must contain it when set
  std::optional<std::string> audience;
  std::chrono::seconds leeway{30};  // JWT_LEEWAY: clock skew tolerated on exp / nbf
  // JWT_ROLES_CLAIM: where the token lists its roles. A dotted name is a path into nested
  // objects (`realm_access.roles`, as some identity providers write it).
  std::string roles_claim{kDefaultRolesClaim};
  // JWT_SUBJECT_CLAIM: the claim that names the user (tb_user.identifier), a dotted path too.
  std::string subject_claim{kDefaultSubjectClaim};
  // Tokens accepted recently, remembered until they expire: a client sends the same token with
  // every request, and the HMAC and the JSON decoding cost more than the rest of a cached read.
  std::size_t cache_capacity = 4096;
  // JWKS_FILE or OIDC_ISSUER_URL: RS256, RS384, RS512, ES256 and ES384 tokens are verified with
  // the identity provider's published keys when set.
  std::optional<KeySourceSettings> keys{};
};

// JWT_SECRET (at least 32 characters: an HS256 key shorter than its hash is guessable) and/or
// OIDC_ISSUER_URL or JWKS_FILE (a ConfigError when none is set), OIDC_CLIENT_ID, OIDC_AUDIENCE,
// OIDC_CA_FILE, JWT_ROLES_CLAIM, JWT_LEEWAY, JWKS_REFRESH_INTERVAL, JWKS_CACHE_MIN/MAX.
TokenSettings load_token_settings(const config::EnvReader& env);

// Whether `env` configures any way to verify tokens (JWT_SECRET, OIDC_ISSUER_URL, JWKS_FILE).
bool token_verification_configured(const config::EnvReader& env);

// Who a request acts for: the token's `sub`, which is tb_user.identifier, and the roles its
// roles claim lists (a list of strings, or one string of space-separated names; none when the
// claim is absent).
struct Principal {
  std::string subject;
  std::vector<std::string> roles;

  bool has_role(std::string_view role) const;
};

// A token that does not authenticate anyone. what() is safe to return to the client: it says
// what is wrong with the token, never anything about the key.
class Unauthenticated : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Verifies bearer tokens: HS256 with JWT_SECRET, and RS256/384/512 or ES256/384 with the key the
// token's `kid` names among the identity provider's (KeySource); `none`, every other algorithm,
// and an HS token where only keys are configured are refused, and a provider's key is never used
// as an HMAC secret (no algorithm confusion). Then `exp` (required), `nbf`, and `iss`/`aud` when
// configured, on both kinds; `sub` is required, and the roles claim, when present, must be a
// string or a list of strings. Thread-safe. An accepted token is remembered (by its exact text,
// so any change to it is a miss) and accepted again without the work until its exp (plus the
// leeway) has passed, or until its key is no longer published.
class TokenVerifier {
 public:
  // `metrics`, when given, gets the key source's gauges (choreo_oidc_*).
  explicit TokenVerifier(TokenSettings settings, prometheus::Registry* metrics = nullptr);
  ~TokenVerifier();
  TokenVerifier(TokenVerifier&&) noexcept;

  // Throws Unauthenticated.
  Principal verify(std::string_view token) const;

  // The token of an `Authorization: Bearer <token>` header value; Unauthenticated when the
  // header is missing or of another scheme.
  static std::string_view bearer_token(const std::string* authorization_header);

  // The identity provider's state (for /readyz); nullopt when no keys are configured.
  std::optional<KeySourceState> key_source_state() const;

 private:
  struct Accepted {
    Principal principal;
    std::chrono::system_clock::time_point valid_until;  // exp + leeway
    std::optional<std::string> kid;                     // of the provider's key it was signed by
  };

  std::string accepted_algorithms() const;  // for the refusal's message
  Principal verify_uncached(std::string_view token,
                            std::optional<std::chrono::system_clock::time_point>& valid_until,
                            std::optional<std::string>& kid) const;

  TokenSettings settings_;
  std::unique_ptr<KeySource> keys_;
  std::unique_ptr<cache::LruMap<Accepted>> accepted_;
};

// The /readyz entry "identity_provider": ok while the provider's keys load, down while it does
// not answer; advisory (ReadinessCheck::required false), since the keys held keep verifying.
http::ReadinessCheck identity_provider_check(const TokenVerifier& verifier);

}  // namespace choreo::auth
