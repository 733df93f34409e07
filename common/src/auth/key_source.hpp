#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "auth/verification_key.hpp"
#include "http/https_fetch.hpp"

namespace prometheus {
class Registry;
class Gauge;
class Counter;
}  // namespace prometheus

namespace choreo::auth {

struct KeySourceSettings {
  std::optional<std::string> jwks_file;   // JWKS_FILE: a local JWKS, reloaded when it changes
  std::optional<std::string> issuer_url;  // OIDC_ISSUER_URL: discovery, then its jwks_uri
  http::FetchSettings fetch;              // OIDC_CA_FILE and the timeout
  // JWKS_REFRESH_INTERVAL: no two fetches from the issuer closer together than this, however
  // many tokens with unknown kids arrive (a flood of forged tokens cannot hammer the issuer).
  std::chrono::seconds refresh_interval{10};
  // JWKS_CACHE_MIN / JWKS_CACHE_MAX: the issuer's Cache-Control max-age, kept within these.
  std::chrono::seconds cache_floor{60};
  std::chrono::seconds cache_ceiling{std::chrono::hours(24)};
};

// The Cache-Control max-age in seconds (no-store and no-cache count as 0); nullopt when the
// field says neither.
std::optional<std::chrono::seconds> cache_max_age(std::string_view cache_control);

// How long to keep keys fetched with `cache_control`: its max-age within [floor, ceiling], the
// floor when it gives none.
std::chrono::seconds key_lifetime(std::string_view cache_control, std::chrono::seconds floor,
                                  std::chrono::seconds ceiling);

// What the key source knows of its issuer, for /readyz and logs.
struct KeySourceState {
  bool reachable = false;  // the last fetch (or file read) succeeded
  std::size_t keys = 0;
  std::string last_error;  // of the last failure, "" when the last attempt succeeded
};

// The identity provider's verification keys, kept fresh by a thread of its own: fetched at
// start, again when their cache lifetime ends, when a token names a kid that is not among them
// (at most one fetch per refresh_interval), and, for a JWKS_FILE, when the file changes. While
// the issuer does not answer, the keys already fetched keep working. Thread-safe.
class KeySource {
 public:
  // GET of a URL; the default fetches with settings.fetch (http::fetch_url).
  using Fetch = std::function<http::FetchResponse(const std::string& url)>;

  KeySource(KeySourceSettings settings, prometheus::Registry* metrics, Fetch fetch = {});
  ~KeySource();
  KeySource(const KeySource&) = delete;
  KeySource& operator=(const KeySource&) = delete;

  // The key to verify a token of `alg` with: the one named `kid` (or, for a token without kid,
  // the only key that accepts `alg`); nullptr when there is none that accepts `alg`. An unknown
  // kid asks for a refresh and, when one may run now, waits for it (up to the fetch timeout).
  std::shared_ptr<const VerificationKey> key_for(const std::string& kid, std::string_view alg);

  // Whether a key named `kid` is still published (a remembered token's key may have rotated
  // out).
  bool holds(const std::string& kid) const;

  KeySourceState state() const;
  // Fetches so far, successful or not (tests count them).
  std::uint64_t fetches() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Loaded {
    std::vector<std::shared_ptr<const VerificationKey>> keys;
    std::chrono::seconds lifetime{0};
  };

  void run();
  Loaded load();  // throws on failure
  Loaded load_from_issuer();
  Loaded load_from_file();
  std::shared_ptr<const VerificationKey> find(const std::string& kid, std::string_view alg) const;
  std::optional<std::int64_t> file_stamp() const;

  const KeySourceSettings settings_;
  Fetch fetch_;
  prometheus::Gauge* reachable_gauge_ = nullptr;
  prometheus::Counter* fetched_ok_ = nullptr;
  prometheus::Counter* fetched_failed_ = nullptr;

  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the refresher: a refresh was asked for, or stop
  std::condition_variable updated_;  // waiters: an attempt finished
  bool stopping_ = false;
  bool refresh_requested_ = false;
  std::uint64_t attempts_ = 0;  // finished attempts
  std::uint64_t fetches_ = 0;
  std::optional<Clock::time_point> last_attempt_;
  Clock::time_point next_refresh_{};
  std::optional<std::int64_t> file_stamp_;  // of the file as last read
  std::string jwks_uri_;                    // from discovery; "" until found
  std::vector<std::shared_ptr<const VerificationKey>> keys_;
  KeySourceState state_;
  std::thread thread_;
};

}  // namespace choreo::auth
