// TokenVerifier with an identity provider's keys (here a JWKS_FILE; the HTTPS issuer is tested
// against a real server in tests/oidc/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <jwt/jwt.hpp>
#include <thread>

#include "auth/test_key_pairs.hpp"
#include "auth/token_verifier.hpp"
#include "config/env.hpp"

namespace choreo::auth {
namespace {

using std::chrono::hours;

const std::string kSecret = "an-hs256-secret-of-more-than-32-characters";
const std::string kIssuer = "https://issuer.test/realms/demo";

std::int64_t now_plus(std::chrono::seconds offset) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             (std::chrono::system_clock::now() + offset).time_since_epoch())
      .count();
}

std::string sign(const std::string& algorithm, const std::string& key, const std::string& kid,
                 const nlohmann::json& claims) {
  jwt::jwt_object token{jwt::params::algorithm(algorithm), jwt::params::secret(key)};
  if (!kid.empty())
    token.header().add_header("kid", kid);
  for (const auto& [name, value] : claims.items()) {
    if (value.is_string())
      token.add_claim(name, value.get<std::string>());
    else
      token.add_claim(name, value.get<std::int64_t>());
  }
  return token.signature();
}

nlohmann::json claims(const std::string& sub = "alice") {
  return {{"sub", sub}, {"exp", now_plus(hours(1))}, {"iss", kIssuer}, {"aud", "orders"}};
}

class JwksFile {
 public:
  JwksFile()
      : path_(std::filesystem::temp_directory_path() /
              ("choreo-jwks-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) +
               ".json")) {}
  ~JwksFile() { std::filesystem::remove(path_); }
  void write(const std::string& text) const {
    const auto partial = path_.string() + ".tmp";
    std::ofstream(partial) << text;
    std::filesystem::rename(partial, path_);  // whole, as an operator's deploy would
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TokenSettings settings_for(const JwksFile& file, bool with_secret) {
  TokenSettings settings;
  if (with_secret)
    settings.hs256_secret = kSecret;
  settings.issuer = kIssuer;
  settings.audience = "orders";
  KeySourceSettings keys;
  keys.jwks_file = file.path();
  settings.keys = keys;
  return settings;
}

std::string refusal(const TokenVerifier& verifier, const std::string& token) {
  try {
    verifier.verify(token);
    return "";
  } catch (const Unauthenticated& error) {
    return error.what();
  }
}

TEST(TokenVerifierJwks, AcceptsRs256AndEs256ByKid) {
  const auto rsa = testing::rsa_key("r1");
  const auto ec = testing::ec_key("e1");
  JwksFile file;
  file.write(testing::jwks({rsa.jwk, ec.jwk}));
  const TokenVerifier verifier(settings_for(file, false));
  EXPECT_EQ(verifier.verify(sign("RS256", rsa.private_pem, "r1", claims())).subject, "alice");
  EXPECT_EQ(verifier.verify(sign("ES256", ec.private_pem, "e1", claims("bob"))).subject, "bob");
  EXPECT_EQ(verifier.verify(sign("RS512", rsa.private_pem, "r1", claims("carol"))).subject,
            "carol");
}

TEST(TokenVerifierJwks, RefusesWrongKeysAndAlgorithmConfusion) {
  const auto rsa = testing::rsa_key("r1");
  const auto other = testing::rsa_key("r2");
  JwksFile file;
  file.write(testing::jwks({rsa.jwk}));
  const TokenVerifier verifier(settings_for(file, false));
  EXPECT_NE(refusal(verifier, sign("RS256", rsa.private_pem, "nope", claims())), "");
  EXPECT_NE(refusal(verifier, sign("RS256", other.private_pem, "r1", claims())), "")
      << "signed by another key under r1's kid";
  // HS256 with the provider's public key as the HMAC secret: the classic confusion.
  const auto public_pem = parse_jwks(testing::jwks({rsa.jwk})).keys.front().pem;
  EXPECT_NE(refusal(verifier, sign("HS256", public_pem, "r1", claims())).find("algorithm"),
            std::string::npos);
  // No JWT_SECRET here: an HS256 token is refused whatever it is signed with.
  EXPECT_NE(refusal(verifier, sign("HS256", kSecret, "", claims())), "");
  // ES256 claimed for an RSA key.
  EXPECT_NE(refusal(verifier, sign("ES256", testing::ec_key("x").private_pem, "r1", claims())), "");
  // A tampered payload.
  auto token = sign("RS256", rsa.private_pem, "r1", claims());
  const auto first = token.find('.');
  token[first + 3] = token[first + 3] == 'A' ? 'B' : 'A';
  EXPECT_NE(refusal(verifier, token), "");
}

TEST(TokenVerifierJwks, ChecksIssuerAudienceAndExpiryOnProviderTokens) {
  const auto rsa = testing::rsa_key("r1");
  JwksFile file;
  file.write(testing::jwks({rsa.jwk}));
  const TokenVerifier verifier(settings_for(file, false));
  auto wrong_issuer = claims();
  wrong_issuer["iss"] = "https://elsewhere.test";
  EXPECT_NE(refusal(verifier, sign("RS256", rsa.private_pem, "r1", wrong_issuer)).find("issuer"),
            std::string::npos);
  auto wrong_audience = claims();
  wrong_audience["aud"] = "someone-else";
  EXPECT_NE(
      refusal(verifier, sign("RS256", rsa.private_pem, "r1", wrong_audience)).find("audience"),
      std::string::npos);
  auto expired = claims();
  expired["exp"] = now_plus(-hours(1));
  EXPECT_NE(refusal(verifier, sign("RS256", rsa.private_pem, "r1", expired)).find("expired"),
            std::string::npos);
}

TEST(TokenVerifierJwks, Hs256KeepsWorkingBesideTheProvider) {
  const auto rsa = testing::rsa_key("r1");
  JwksFile file;
  file.write(testing::jwks({rsa.jwk}));
  const TokenVerifier verifier(settings_for(file, true));
  EXPECT_EQ(verifier.verify(sign("HS256", kSecret, "", claims("dave"))).subject, "dave");
  EXPECT_EQ(verifier.verify(sign("RS256", rsa.private_pem, "r1", claims())).subject, "alice");
  auto no_issuer = claims();
  no_issuer.erase("iss");
  EXPECT_NE(refusal(verifier, sign("HS256", kSecret, "", no_issuer)), "")
      << "iss is checked on HS256 tokens too";
}

TEST(TokenVerifierJwks, AChangedFileRotatesTheKeysAndRememberedTokensFollow) {
  const auto old_key = testing::rsa_key("old");
  const auto new_key = testing::ec_key("new");
  JwksFile file;
  file.write(testing::jwks({old_key.jwk}));
  const TokenVerifier verifier(settings_for(file, false));
  const auto old_token = sign("RS256", old_key.private_pem, "old", claims());
  ASSERT_EQ(verifier.verify(old_token).subject, "alice");
  ASSERT_EQ(verifier.verify(old_token).subject, "alice");  // now remembered
  file.write(testing::jwks({new_key.jwk}));
  const auto new_token = sign("ES256", new_key.private_pem, "new", claims("erin"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (refusal(verifier, new_token) != "" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(verifier.verify(new_token).subject, "erin");
  EXPECT_NE(refusal(verifier, old_token), "") << "a remembered token of a removed key";
}

TEST(TokenSettingsOidc, NeedsSomethingToVerifyWithAndTakesTheClientIdAsAudience) {
  EXPECT_THROW(load_token_settings(config::EnvReader(std::map<std::string, std::string>{})),
               config::ConfigError);
  const auto settings = load_token_settings(config::EnvReader(std::map<std::string, std::string>{
      {"OIDC_ISSUER_URL", kIssuer}, {"OIDC_CLIENT_ID", "orders"}}));
  EXPECT_FALSE(settings.hs256_secret.has_value());
  EXPECT_EQ(settings.audience, "orders");
  ASSERT_TRUE(settings.keys.has_value());
  EXPECT_EQ(settings.keys->issuer_url, kIssuer);
  EXPECT_THROW(load_token_settings(config::EnvReader(std::map<std::string, std::string>{
                   {"OIDC_ISSUER_URL", "http://issuer.example.com"}})),
               config::ConfigError)
      << "keys in the clear only from loopback";
  EXPECT_NO_THROW(load_token_settings(config::EnvReader(
      std::map<std::string, std::string>{{"OIDC_ISSUER_URL", "http://127.0.0.1:8081/realms/x"}})));
}

}  // namespace
}  // namespace choreo::auth
