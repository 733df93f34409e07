#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace choreo::config {
class EnvReader;
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

struct TokenSettings {
  std::string hs256_secret;             // JWT_SECRET
  std::optional<std::string> issuer;    // OIDC_ISSUER_URL: `iss` must match when set
  std::optional<std::string> audience;  // OIDC_AUDIENCE: `aud` must contain it when set
  std::chrono::seconds leeway{30};      // clock skew tolerated on exp / nbf
  // JWT_ROLES_CLAIM: where the token lists its roles. A dotted name is a path into nested
  // objects (`realm_access.roles`, as some identity providers write it).
  std::string roles_claim{kDefaultRolesClaim};
  // Tokens accepted recently, remembered until they expire: a client sends the same token with
  // every request, and the HMAC and the JSON decoding cost more than the rest of a cached read.
  std::size_t cache_capacity = 4096;
};

// JWT_SECRET (at least 32 characters: an HS256 key shorter than its hash is guessable),
// OIDC_ISSUER_URL, OIDC_AUDIENCE, JWT_ROLES_CLAIM.
TokenSettings load_token_settings(const config::EnvReader& env);

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

// Verifies HS256 bearer tokens: the signature, `alg` (only HS256; `none` and every other
// algorithm are refused), `exp` (required), `nbf`, and `iss`/`aud` when configured; `sub` is
// required, and the roles claim, when present, must be a string or a list of strings. Thread-safe.
// An accepted token is remembered (by its exact text, so any change to it is a miss) and accepted
// again without the work until its exp (plus the leeway) has passed.
class TokenVerifier {
 public:
  explicit TokenVerifier(TokenSettings settings);
  ~TokenVerifier();
  TokenVerifier(TokenVerifier&&) noexcept;

  // Throws Unauthenticated.
  Principal verify(std::string_view token) const;

  // The token of an `Authorization: Bearer <token>` header value; Unauthenticated when the
  // header is missing or of another scheme.
  static std::string_view bearer_token(const std::string* authorization_header);

 private:
  struct Accepted {
    Principal principal;
    std::chrono::system_clock::time_point valid_until;  // exp + leeway
  };

  Principal verify_uncached(
      std::string_view token,
      std::optional<std::chrono::system_clock::time_point>& valid_until) const;

  TokenSettings settings_;
  std::unique_ptr<cache::LruMap<Accepted>> accepted_;
};

}  // namespace choreo::auth
