#include "token/hs256_token.hpp"

#include <gtest/gtest.h>

#include <jwt/jwt.hpp>

#include "auth/token_verifier.hpp"

namespace choreo::ctl {
namespace {

TEST(MakeHs256Token, SignsSubIatAndExp) {
  TokenClaims claims;
  claims.subject = "alice";
  claims.issued_at = std::chrono::system_clock::now();
  claims.ttl = std::chrono::hours(2);
  const auto token = make_hs256_token("s3cret", claims);

  const auto decoded = jwt::decode(token, jwt::params::algorithms({"HS256"}),
                                   jwt::params::secret("s3cret"), jwt::params::verify(true));
  const auto& payload = decoded.payload();
  EXPECT_EQ(payload.get_claim_value<std::string>("sub"), "alice");
  const auto iat = payload.get_claim_value<std::int64_t>("iat");
  const auto exp = payload.get_claim_value<std::int64_t>("exp");
  EXPECT_EQ(exp - iat, 7200);
  EXPECT_FALSE(payload.has_claim("iss"));
  EXPECT_FALSE(payload.has_claim("aud"));
}

TEST(MakeHs256Token, AddsIssuerAndAudienceWhenGiven) {
  TokenClaims claims;
  claims.subject = "bob";
  claims.issued_at = std::chrono::system_clock::now();
  claims.ttl = std::chrono::minutes(5);
  claims.issuer = "https://issuer.example";
  claims.audience = "orders";
  const auto token = make_hs256_token("k", claims);
  const auto decoded = jwt::decode(token, jwt::params::algorithms({"HS256"}),
                                   jwt::params::secret("k"), jwt::params::verify(true));
  EXPECT_EQ(decoded.payload().get_claim_value<std::string>("iss"), "https://issuer.example");
  EXPECT_EQ(decoded.payload().get_claim_value<std::string>("aud"), "orders");
}

TEST(MakeHs256Token, AnotherSecretDoesNotVerify) {
  TokenClaims claims;
  claims.subject = "alice";
  claims.issued_at = std::chrono::system_clock::now();
  claims.ttl = std::chrono::hours(1);
  const auto token = make_hs256_token("right", claims);
  std::error_code error;
  jwt::decode(token, jwt::params::algorithms({"HS256"}), error, jwt::params::secret("wrong"),
              jwt::params::verify(true));
  EXPECT_TRUE(error);
}

TEST(MakeHs256Token, AnOperatorTokenPassesTheServicesVerifierWithItsRole) {
  const std::string secret = "an-hs256-secret-of-more-than-32-characters";
  for (const std::string claim : {"roles", "realm_access.roles"}) {
    TokenClaims claims;
    claims.subject = "ops";
    claims.issued_at = std::chrono::system_clock::now();
    claims.ttl = std::chrono::minutes(5);
    claims.roles = {std::string(auth::kOperatorRole)};
    claims.roles_claim = claim;
    auth::TokenSettings settings{secret, {}, {}};
    settings.roles_claim = claim;
    const auto principal = auth::TokenVerifier(settings).verify(make_hs256_token(secret, claims));
    EXPECT_EQ(principal.subject, "ops");
    EXPECT_TRUE(principal.has_role(auth::kOperatorRole)) << claim;
  }
}

TEST(MakeHs256Token, AUserTokenCarriesNoRoles) {
  TokenClaims claims;
  claims.subject = "alice";
  claims.issued_at = std::chrono::system_clock::now();
  claims.ttl = std::chrono::hours(1);
  const auto decoded =
      jwt::decode(make_hs256_token("k", claims), jwt::params::algorithms({"HS256"}),
                  jwt::params::secret("k"), jwt::params::verify(true));
  EXPECT_FALSE(decoded.payload().has_claim("roles"));
}

}  // namespace
}  // namespace choreo::ctl
