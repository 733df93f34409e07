#include "auth/key_source.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "auth/test_key_pairs.hpp"

namespace choreo::auth {
namespace {

using std::chrono::seconds;

const std::string kIssuer = "https://issuer.test/realms/demo";
const std::string kDiscovery = kIssuer + "/.well-known/openid-configuration";
const std::string kJwksUri = "https://issuer.test/realms/demo/certs";

// The identity provider, in memory: what it serves can change, and it can go down.
class FakeIssuer {
 public:
  void publish(std::string jwks, std::string cache_control = "max-age=300") {
    std::lock_guard lock(mutex_);
    jwks_ = std::move(jwks);
    cache_control_ = std::move(cache_control);
  }
  void set_down(bool down) { down_ = down; }
  int jwks_fetches() const { return jwks_fetches_; }

  KeySource::Fetch fetch() {
    return [this](const std::string& url) {
      if (down_)
        throw http::FetchError(url + ": connection refused");
      std::lock_guard lock(mutex_);
      if (url == kDiscovery)
        return http::FetchResponse{
            200, nlohmann::json{{"issuer", kIssuer}, {"jwks_uri", kJwksUri}}.dump(), {}};
      if (url == kJwksUri) {
        ++jwks_fetches_;
        return http::FetchResponse{200, jwks_, {{"cache-control", cache_control_}}};
      }
      return http::FetchResponse{404, "", {}};
    };
  }

 private:
  std::mutex mutex_;
  std::string jwks_ = testing::jwks({});
  std::string cache_control_;
  std::atomic<bool> down_{false};
  std::atomic<int> jwks_fetches_{0};
};

KeySourceSettings issuer_settings() {
  KeySourceSettings settings;
  settings.issuer_url = kIssuer;
  settings.refresh_interval = seconds(1);
  settings.cache_floor = seconds(60);
  return settings;
}

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

TEST(CacheControl, MaxAgeWithinFloorAndCeiling) {
  EXPECT_EQ(cache_max_age("public, max-age=600, must-revalidate"), seconds(600));
  EXPECT_EQ(cache_max_age("no-cache"), seconds(0));
  EXPECT_EQ(cache_max_age("private"), std::nullopt);
  EXPECT_EQ(cache_max_age("max-age="), std::nullopt);
  EXPECT_EQ(key_lifetime("max-age=5", seconds(60), seconds(3600)), seconds(60));
  EXPECT_EQ(key_lifetime("max-age=999999", seconds(60), seconds(3600)), seconds(3600));
  EXPECT_EQ(key_lifetime("", seconds(60), seconds(3600)), seconds(60));
  EXPECT_EQ(key_lifetime("MAX-AGE=120", seconds(60), seconds(3600)), seconds(120));
}

TEST(KeySource, FindsTheKeyByKidThroughDiscovery) {
  FakeIssuer issuer;
  const auto first = testing::rsa_key("k1");
  issuer.publish(testing::jwks({first.jwk}));
  KeySource source(issuer_settings(), nullptr, issuer.fetch());
  const auto key = source.key_for("k1", "RS256");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->kid, "k1");
  EXPECT_EQ(source.key_for("k1", "ES256"), nullptr) << "a known key of the wrong kind";
  EXPECT_TRUE(source.state().reachable);
  EXPECT_EQ(source.state().keys, 1U);
  EXPECT_TRUE(source.holds("k1"));
}

TEST(KeySource, AnUnknownKidRefreshesAtMostOncePerInterval) {
  FakeIssuer issuer;
  issuer.publish(testing::jwks({testing::rsa_key("k1").jwk}));
  KeySource source(issuer_settings(), nullptr, issuer.fetch());
  ASSERT_NE(source.key_for("k1", "RS256"), nullptr);
  const int before = issuer.jwks_fetches();
  // A burst of forged kids: the first may refresh at once, the rest wait for the interval.
  std::vector<std::thread> flood;
  for (int i = 0; i < 8; ++i) {
    flood.emplace_back([&source, i] {
      for (int j = 0; j < 25; ++j)
        EXPECT_EQ(source.key_for("forged-" + std::to_string(i * 100 + j), "RS256"), nullptr);
    });
  }
  for (auto& thread : flood)
    thread.join();
  EXPECT_LE(issuer.jwks_fetches() - before, 2) << "200 unknown kids within about a second";
}

TEST(KeySource, ARotatedKeyIsPickedUpAndTheRemovedOneIsGone) {
  FakeIssuer issuer;
  const auto old_key = testing::rsa_key("old");
  issuer.publish(testing::jwks({old_key.jwk}));
  KeySource source(issuer_settings(), nullptr, issuer.fetch());
  ASSERT_NE(source.key_for("old", "RS256"), nullptr);
  const auto new_key = testing::ec_key("new");
  issuer.publish(testing::jwks({new_key.jwk}));
  // Within the refresh interval of the last fetch the first try may be refused; a retry a
  // moment later finds it (tokens are retried by their clients the same way).
  EXPECT_TRUE(eventually([&] { return source.key_for("new", "ES256") != nullptr; }));
  EXPECT_FALSE(source.holds("old"));
  EXPECT_EQ(source.key_for("old", "RS256"), nullptr);
}

TEST(KeySource, KnownKeysKeepWorkingWhileTheIssuerIsDown) {
  FakeIssuer issuer;
  issuer.publish(testing::jwks({testing::rsa_key("k1").jwk}));
  KeySource source(issuer_settings(), nullptr, issuer.fetch());
  ASSERT_NE(source.key_for("k1", "RS256"), nullptr);
  issuer.set_down(true);
  // An unknown kid makes it try (and fail) again; k1 still verifies.
  EXPECT_TRUE(eventually([&] {
    source.key_for("unknown", "RS256");
    return !source.state().reachable;
  }));
  EXPECT_NE(source.state().last_error.find("connection refused"), std::string::npos);
  EXPECT_NE(source.key_for("k1", "RS256"), nullptr);
  issuer.set_down(false);
  EXPECT_TRUE(eventually([&] {
    source.key_for("unknown", "RS256");
    return source.state().reachable;
  }));
}

TEST(KeySource, ADiscoveryDocumentOfAnotherIssuerIsRefused) {
  KeySourceSettings settings = issuer_settings();
  settings.issuer_url = "https://issuer.test/realms/other";
  FakeIssuer issuer;  // answers discovery for kIssuer only: 404 here
  KeySource source(settings, nullptr, [&](const std::string& url) {
    if (url == "https://issuer.test/realms/other/.well-known/openid-configuration")
      return http::FetchResponse{
          200, nlohmann::json{{"issuer", kIssuer}, {"jwks_uri", kJwksUri}}.dump(), {}};
    return http::FetchResponse{404, "", {}};
  });
  EXPECT_EQ(source.key_for("k1", "RS256"), nullptr);
  EXPECT_FALSE(source.state().reachable);
  EXPECT_NE(source.state().last_error.find("another issuer"), std::string::npos);
}

}  // namespace
}  // namespace choreo::auth
