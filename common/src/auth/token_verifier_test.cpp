#include "auth/token_verifier.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <jwt/jwt.hpp>

#include "config/env.hpp"

namespace choreo::auth {
namespace {

const std::string kSecret = "an-hs256-secret-of-more-than-32-characters";

std::int64_t now_plus(std::chrono::seconds offset) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             (std::chrono::system_clock::now() + offset).time_since_epoch())
      .count();
}

// A signed token with the given claims (names without values are left out).
std::string sign(const std::string& algorithm, const std::string& secret,
                 const std::map<std::string, nlohmann::json>& claims) {
  jwt::jwt_object token{jwt::params::algorithm(algorithm), jwt::params::secret(secret)};
  for (const auto& [name, value] : claims) {
    if (value.is_string()) {
      token.add_claim(name, value.get<std::string>());
    } else if (value.is_number_integer()) {
      token.add_claim(name, value.get<std::int64_t>());
    } else {
      token.add_claim(name, value);  // a list or an object, as JSON
    }
  }
  return token.signature();
}

std::string base64url(const std::string& text) {
  auto encoded = jwt::base64_encode(text.data(), text.size());
  for (auto& c : encoded) {
    if (c == '+')
      c = '-';
    if (c == '/')
      c = '_';
  }
  while (!encoded.empty() && encoded.back() == '=')
    encoded.pop_back();
  return encoded;
}

TokenVerifier verifier(std::optional<std::string> issuer = {},
                       std::optional<std::string> audience = {}) {
  return TokenVerifier(TokenSettings{kSecret, std::move(issuer), std::move(audience)});
}

TEST(TokenVerifier, AcceptsAValidToken) {
  const auto token =
      sign("HS256", kSecret, {{"sub", "alice"}, {"exp", now_plus(std::chrono::hours(1))}});
  EXPECT_EQ(verifier().verify(token).subject, "alice");
}

TEST(TokenVerifier, AcceptsARememberedTokenAgainButNoAlteredOne) {
  const auto verify = verifier();
  const auto token =
      sign("HS256", kSecret, {{"sub", "alice"}, {"exp", now_plus(std::chrono::hours(1))}});
  EXPECT_EQ(verify.verify(token).subject, "alice");
  EXPECT_EQ(verify.verify(token).subject, "alice");
  // The same header and payload with another signature: not the remembered token.
  const auto forged = token.substr(0, token.rfind('.') + 1) + "AAAA";
  EXPECT_THROW(verify.verify(forged), Unauthenticated);
  EXPECT_EQ(verify.verify(token).subject, "alice");
}

TEST(TokenVerifier, DoesNotRememberPastExpiry) {
  // Expired beyond the leeway: refused the first time and every time after.
  const auto verify = verifier();
  const auto token =
      sign("HS256", kSecret, {{"sub", "alice"}, {"exp", now_plus(-std::chrono::minutes(5))}});
  EXPECT_THROW(verify.verify(token), Unauthenticated);
  EXPECT_THROW(verify.verify(token), Unauthenticated);
}

TEST(TokenVerifier, RejectsAWrongSignature) {
  const auto token = sign("HS256", kSecret + "-other",
                          {{"sub", "alice"}, {"exp", now_plus(std::chrono::hours(1))}});
  EXPECT_THROW(verifier().verify(token), Unauthenticated);
}

TEST(TokenVerifier, RejectsAlgNone) {
  const auto header = base64url(R"({"alg":"none","typ":"JWT"})");
  const auto payload =
      base64url(nlohmann::json{{"sub", "alice"}, {"exp", now_plus(std::chrono::hours(1))}}.dump());
  try {
    verifier().verify(header + "." + payload + ".");
    FAIL() << "alg none accepted";
  } catch (const Unauthenticated& error) {
    SUCCEED() << error.what();
  }
}

TEST(TokenVerifier, RejectsOtherAlgorithmsEvenWithTheRightSecret) {
  const auto token =
      sign("HS512", kSecret, {{"sub", "alice"}, {"exp", now_plus(std::chrono::hours(1))}});
  EXPECT_THROW(verifier().verify(token), Unauthenticated);
}

TEST(TokenVerifier, RejectsExpiredAndNotYetValid) {
  const auto expired =
      sign("HS256", kSecret, {{"sub", "alice"}, {"exp", now_plus(-std::chrono::hours(1))}});
  try {
    verifier().verify(expired);
    FAIL();
  } catch (const Unauthenticated& error) {
    EXPECT_STREQ(error.what(), "the token has expired");
  }
  const auto early = sign("HS256", kSecret,
                          {{"sub", "alice"},
                           {"exp", now_plus(std::chrono::hours(2))},
                           {"nbf", now_plus(std::chrono::hours(1))}});
  EXPECT_THROW(verifier().verify(early), Unauthenticated);
}

TEST(TokenVerifier, RequiresSubAndExp) {
  EXPECT_THROW(verifier().verify(sign("HS256", kSecret, {{"sub", "alice"}})), Unauthenticated);
  EXPECT_THROW(
      verifier().verify(sign("HS256", kSecret, {{"exp", now_plus(std::chrono::hours(1))}})),
      Unauthenticated);
}

TEST(TokenVerifier, ChecksIssuerAndAudienceOnlyWhenConfigured) {
  const auto token = sign("HS256", kSecret,
                          {{"sub", "alice"},
                           {"exp", now_plus(std::chrono::hours(1))},
                           {"iss", "https://issuer.example"},
                           {"aud", "orders"}});
  EXPECT_EQ(verifier().verify(token).subject, "alice");
  EXPECT_EQ(verifier("https://issuer.example", "orders").verify(token).subject, "alice");
  EXPECT_THROW(verifier("https://other.example").verify(token), Unauthenticated);
  EXPECT_THROW(verifier({}, "billing").verify(token), Unauthenticated);
}

TEST(TokenVerifier, ReadsRolesFromAListOrASpaceSeparatedString) {
  const auto exp = now_plus(std::chrono::hours(1));
  const auto listed = verifier().verify(
      sign("HS256", kSecret, {{"sub", "ops"}, {"exp", exp}, {"roles", {"viewer", "operator"}}}));
  EXPECT_EQ(listed.roles, (std::vector<std::string>{"viewer", "operator"}));
  EXPECT_TRUE(listed.has_role(kOperatorRole));
  const auto spaced = verifier().verify(
      sign("HS256", kSecret, {{"sub", "ops"}, {"exp", exp}, {"roles", " operator  viewer"}}));
  EXPECT_EQ(spaced.roles, (std::vector<std::string>{"operator", "viewer"}));
  const auto none = verifier().verify(sign("HS256", kSecret, {{"sub", "alice"}, {"exp", exp}}));
  EXPECT_TRUE(none.roles.empty());
  EXPECT_FALSE(none.has_role(kOperatorRole));
}

TEST(TokenVerifier, ReadsRolesFromTheConfiguredClaimOnly) {
  const auto exp = now_plus(std::chrono::hours(1));
  const auto token = sign("HS256", kSecret,
                          {{"sub", "ops"},
                           {"exp", exp},
                           {"roles", {"viewer"}},
                           {"realm_access", {{"roles", {"operator"}}}}});
  TokenSettings nested{kSecret, {}, {}};
  nested.roles_claim = "realm_access.roles";
  EXPECT_EQ(TokenVerifier(nested).verify(token).roles, (std::vector<std::string>{"operator"}));
  EXPECT_FALSE(verifier().verify(token).has_role(kOperatorRole));
  nested.roles_claim = "realm_access.groups";  // absent: no roles, not an error
  EXPECT_TRUE(TokenVerifier(nested).verify(token).roles.empty());
}

TEST(TokenVerifier, RejectsRolesThatAreNotStrings) {
  const auto exp = now_plus(std::chrono::hours(1));
  for (const nlohmann::json& roles : {nlohmann::json{{"operator", true}}, nlohmann::json{1, 2}}) {
    try {
      verifier().verify(sign("HS256", kSecret, {{"sub", "ops"}, {"exp", exp}, {"roles", roles}}));
      FAIL() << roles.dump();
    } catch (const Unauthenticated& error) {
      EXPECT_STREQ(error.what(), "the token's roles claim must be a list of strings");
    }
  }
}

TEST(TokenVerifier, ARememberedTokenKeepsItsRoles) {
  const auto verify = verifier();
  const auto token =
      sign("HS256", kSecret,
           {{"sub", "ops"}, {"exp", now_plus(std::chrono::hours(1))}, {"roles", {"operator"}}});
  EXPECT_TRUE(verify.verify(token).has_role(kOperatorRole));
  EXPECT_TRUE(verify.verify(token).has_role(kOperatorRole));
}

TEST(TokenVerifier, RejectsGarbage) {
  const std::vector<std::string> tokens = {"", "x", "a.b.c", "....", std::string(10000, 'a')};
  for (const auto& token : tokens) {
    EXPECT_THROW(verifier().verify(token), Unauthenticated) << token.substr(0, 20);
  }
}

TEST(BearerToken, ParsesTheHeader) {
  const std::string header = "Bearer abc.def.ghi";
  EXPECT_EQ(TokenVerifier::bearer_token(&header), "abc.def.ghi");
  const std::string lower = "bearer  abc ";
  EXPECT_EQ(TokenVerifier::bearer_token(&lower), "abc");
  const std::string basic = "Basic dXNlcjpwYXNz";
  EXPECT_THROW(TokenVerifier::bearer_token(&basic), Unauthenticated);
  EXPECT_THROW(TokenVerifier::bearer_token(nullptr), Unauthenticated);
  const std::string empty = "Bearer ";
  EXPECT_THROW(TokenVerifier::bearer_token(&empty), Unauthenticated);
}

TEST(TokenSettings, SecretMustBeLongEnough) {
  EXPECT_THROW(load_token_settings(config::EnvReader(std::map<std::string, std::string>{})),
               config::ConfigError);
  EXPECT_THROW(load_token_settings(
                   config::EnvReader(std::map<std::string, std::string>{{"JWT_SECRET", "short"}})),
               config::ConfigError);
  const auto settings = load_token_settings(config::EnvReader(
      std::map<std::string, std::string>{{"JWT_SECRET", kSecret}, {"OIDC_AUDIENCE", "orders"}}));
  EXPECT_EQ(settings.audience, "orders");
  EXPECT_FALSE(settings.issuer.has_value());
  EXPECT_EQ(settings.roles_claim, "roles");
}

TEST(TokenSettings, RolesClaimIsANameOrADottedPath) {
  const auto with_claim = [](const std::string& claim) {
    return load_token_settings(config::EnvReader(
        std::map<std::string, std::string>{{"JWT_SECRET", kSecret}, {"JWT_ROLES_CLAIM", claim}}));
  };
  EXPECT_EQ(with_claim("realm_access.roles").roles_claim, "realm_access.roles");
  for (const auto* bad : {".roles", "roles.", "a..b"}) {
    EXPECT_THROW(with_claim(bad), config::ConfigError) << bad;
  }
}

}  // namespace
}  // namespace choreo::auth
