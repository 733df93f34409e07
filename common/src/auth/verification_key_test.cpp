#include "auth/verification_key.hpp"

#include <gtest/gtest.h>

#include "auth/test_key_pairs.hpp"

namespace choreo::auth {
namespace {

TEST(VerificationKey, RsaAndEcKeysBecomePemPublicKeys) {
  const auto rsa = testing::rsa_key("r1");
  const auto ec = testing::ec_key("e1");
  const auto ec384 = testing::ec_key("e2", "P-384");
  const auto set = parse_jwks(testing::jwks({rsa.jwk, ec.jwk, ec384.jwk}));
  ASSERT_EQ(set.keys.size(), 3U) << (set.skipped.empty() ? "" : set.skipped.front());
  EXPECT_EQ(set.keys[0].kid, "r1");
  EXPECT_NE(set.keys[0].pem.find("BEGIN PUBLIC KEY"), std::string::npos);
  EXPECT_TRUE(set.keys[0].accepts("RS256"));
  EXPECT_TRUE(set.keys[0].accepts("RS512"));
  EXPECT_FALSE(set.keys[0].accepts("ES256"));
  EXPECT_FALSE(set.keys[0].accepts("HS256"));
  EXPECT_TRUE(set.keys[1].accepts("ES256"));
  EXPECT_FALSE(set.keys[1].accepts("ES384"));
  EXPECT_TRUE(set.keys[2].accepts("ES384"));
}

TEST(VerificationKey, AJwksAlgAndUseAreHonoured) {
  auto pinned = testing::rsa_key("pinned").jwk;
  pinned["alg"] = "RS384";
  auto encryption = testing::rsa_key("enc").jwk;
  encryption["use"] = "enc";
  auto symmetric = nlohmann::json{{"kty", "oct"}, {"kid", "k"}, {"k", "c2VjcmV0"}};
  const auto set = parse_jwks(testing::jwks({pinned, encryption, symmetric}));
  ASSERT_EQ(set.keys.size(), 1U);
  EXPECT_TRUE(set.keys[0].accepts("RS384"));
  EXPECT_FALSE(set.keys[0].accepts("RS256")) << "the key states its one algorithm";
  EXPECT_EQ(set.skipped.size(), 2U);
}

TEST(VerificationKey, WeakOrMalformedKeysAreLeftOut) {
  auto weak = testing::rsa_key("weak", 1024).jwk;
  auto bad_point = testing::ec_key("bad").jwk;
  bad_point["y"] = bad_point["x"];  // not on the curve
  auto short_x = testing::ec_key("short").jwk;
  short_x["x"] = "AAAA";
  auto not_base64 = testing::rsa_key("b64").jwk;
  not_base64["n"] = "n/o+t=";
  const auto set = parse_jwks(testing::jwks({weak, bad_point, short_x, not_base64}));
  EXPECT_TRUE(set.keys.empty());
  EXPECT_EQ(set.skipped.size(), 4U);
  EXPECT_THROW(parse_jwks("{}"), std::invalid_argument);
  EXPECT_THROW(parse_jwks("not json"), std::invalid_argument);
}

}  // namespace
}  // namespace choreo::auth
