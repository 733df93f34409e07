#include "auth/key_source.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

namespace choreo::auth {
namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  for (auto& c : result)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::string discovery_url(std::string issuer) {
  while (!issuer.empty() && issuer.back() == '/')
    issuer.pop_back();
  return issuer + "/.well-known/openid-configuration";
}

std::string kids_of(const std::vector<std::shared_ptr<const VerificationKey>>& keys) {
  std::string kids;
  for (const auto& key : keys)
    kids += (kids.empty() ? "" : ", ") + (key->kid.empty() ? std::string("(no kid)") : key->kid);
  return kids;
}

}  // namespace

std::optional<std::chrono::seconds> cache_max_age(std::string_view cache_control) {
  const auto text = lower(cache_control);
  if (text.find("no-store") != std::string::npos || text.find("no-cache") != std::string::npos)
    return std::chrono::seconds(0);
  const auto at = text.find("max-age=");
  if (at == std::string::npos)
    return std::nullopt;
  std::int64_t seconds = 0;
  std::size_t digits = 0;
  for (auto i = at + 8; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
       ++i, ++digits) {
    seconds = std::min<std::int64_t>(seconds * 10 + (text[i] - '0'), 1'000'000'000);
  }
  if (digits == 0)
    return std::nullopt;
  return std::chrono::seconds(seconds);
}

std::chrono::seconds key_lifetime(std::string_view cache_control, std::chrono::seconds floor,
                                  std::chrono::seconds ceiling) {
  return std::clamp(cache_max_age(cache_control).value_or(floor), floor, ceiling);
}

KeySource::KeySource(KeySourceSettings settings, prometheus::Registry* metrics, Fetch fetch)
    : settings_(std::move(settings)), fetch_(std::move(fetch)) {
  if (!fetch_) {
    fetch_ = [fetch_settings = settings_.fetch](const std::string& url) {
      return http::fetch_url(url, fetch_settings);
    };
  }
  if (metrics != nullptr) {
    reachable_gauge_ = &prometheus::BuildGauge()
                            .Name("choreo_oidc_keys_reachable")
                            .Help(
                                "1 when the last fetch of the identity provider's keys (or "
                                "read of JWKS_FILE) succeeded; the keys held keep working")
                            .Register(*metrics)
                            .Add({});
    auto& fetched = prometheus::BuildCounter()
                        .Name("choreo_oidc_key_fetches_total")
                        .Help("Attempts to load the identity provider's keys, by result")
                        .Register(*metrics);
    fetched_ok_ = &fetched.Add({{"result", "ok"}});
    fetched_failed_ = &fetched.Add({{"result", "failed"}});
  }
  thread_ = std::thread([this] { run(); });
}

KeySource::~KeySource() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  updated_.notify_all();
  thread_.join();
}

std::shared_ptr<const VerificationKey> KeySource::find(const std::string& kid,
                                                       std::string_view alg) const {
  std::shared_ptr<const VerificationKey> only;
  std::size_t accepting = 0;
  for (const auto& key : keys_) {
    if (!kid.empty() && key->kid == kid)
      return key->accepts(alg) ? key : nullptr;
    if (kid.empty() && key->accepts(alg)) {
      only = key;
      ++accepting;
    }
  }
  return accepting == 1 ? only : nullptr;
}

std::shared_ptr<const VerificationKey> KeySource::key_for(const std::string& kid,
                                                          std::string_view alg) {
  std::unique_lock lock(mutex_);
  if (auto key = find(kid, alg))
    return key;
  const bool known = std::any_of(keys_.begin(), keys_.end(),
                                 [&](const auto& key) { return !kid.empty() && key->kid == kid; });
  if (known || kid.empty())
    return nullptr;  // a known key of another kind is no rotation: nothing to fetch
  refresh_requested_ = true;
  wake_.notify_all();
  const auto now = Clock::now();
  const bool may_run_now =
      attempts_ == 0 || !last_attempt_ || now - *last_attempt_ >= settings_.refresh_interval;
  if (!may_run_now)
    return nullptr;  // the refresh runs when the interval allows; a retry then succeeds
  const auto seen = attempts_;
  updated_.wait_for(lock, settings_.fetch.timeout * 2 + std::chrono::seconds(1),
                    [&] { return attempts_ > seen || stopping_; });
  return find(kid, alg);
}

bool KeySource::holds(const std::string& kid) const {
  std::lock_guard lock(mutex_);
  return std::any_of(keys_.begin(), keys_.end(), [&](const auto& key) { return key->kid == kid; });
}

KeySourceState KeySource::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::uint64_t KeySource::fetches() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

std::optional<std::int64_t> KeySource::file_stamp() const {
  struct stat status {};
  if (!settings_.jwks_file || ::stat(settings_.jwks_file->c_str(), &status) != 0)
    return std::nullopt;
  return static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec +
         static_cast<std::int64_t>(status.st_size);
}

KeySource::Loaded KeySource::load_from_file() {
  std::ifstream file(*settings_.jwks_file);
  if (!file)
    throw std::runtime_error("JWKS_FILE " + *settings_.jwks_file + " cannot be read");
  std::stringstream text;
  text << file.rdbuf();
  auto parsed = parse_jwks(text.str());
  Loaded loaded;
  for (auto& key : parsed.keys)
    loaded.keys.push_back(std::make_shared<const VerificationKey>(std::move(key)));
  for (const auto& skipped : parsed.skipped)
    spdlog::warn("JWKS_FILE {}: left out {}", *settings_.jwks_file, skipped);
  loaded.lifetime = settings_.cache_ceiling;
  return loaded;
}

KeySource::Loaded KeySource::load_from_issuer() {
  const auto get = [this](const std::string& url) {
    {
      std::lock_guard lock(mutex_);
      ++fetches_;
    }
    return fetch_(url);
  };
  if (jwks_uri_.empty()) {
    // OpenID Connect Discovery 1.0 §4: the document names the issuer exactly as tokens carry it,
    // and where its keys are.
    const auto url = discovery_url(*settings_.issuer_url);
    const auto response = get(url);
    if (response.status != 200)
      throw std::runtime_error(url + " answered " + std::to_string(response.status));
    const auto document = nlohmann::json::parse(response.body, nullptr, false);
    if (!document.is_object() || !document.contains("jwks_uri") ||
        !document["jwks_uri"].is_string())
      throw std::runtime_error(url + " names no jwks_uri");
    if (!document.contains("issuer") || document["issuer"] != *settings_.issuer_url)
      throw std::runtime_error(url + " is the discovery document of another issuer (" +
                               document.value("issuer", std::string("none")) +
                               "); OIDC_ISSUER_URL must be the issuer exactly as it names itself");
    const auto jwks_uri = document["jwks_uri"].get<std::string>();
    if (http::url_security(jwks_uri) == http::UrlSecurity::kRefused)
      throw std::runtime_error("the issuer's jwks_uri " + jwks_uri + " is not https://");
    jwks_uri_ = jwks_uri;
  }
  const auto response = get(jwks_uri_);
  if (response.status != 200) {
    const auto uri = std::exchange(jwks_uri_, {});  // discover again next time: it may have moved
    throw std::runtime_error(uri + " answered " + std::to_string(response.status));
  }
  auto parsed = parse_jwks(response.body);
  for (const auto& skipped : parsed.skipped)
    spdlog::debug("the issuer's JWKS: left out {}", skipped);
  if (parsed.keys.empty())
    throw std::runtime_error(jwks_uri_ + " holds no key this service verifies with");
  Loaded loaded;
  for (auto& key : parsed.keys)
    loaded.keys.push_back(std::make_shared<const VerificationKey>(std::move(key)));
  const auto cache_control = response.headers.find("cache-control");
  loaded.lifetime =
      key_lifetime(cache_control == response.headers.end() ? "" : cache_control->second,
                   settings_.cache_floor, settings_.cache_ceiling);
  return loaded;
}

KeySource::Loaded KeySource::load() {
  return settings_.jwks_file ? load_from_file() : load_from_issuer();
}

void KeySource::run() {
  const bool from_file = settings_.jwks_file.has_value();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    std::optional<std::int64_t> stamp;
    if (from_file) {
      lock.unlock();
      stamp = file_stamp();
      lock.lock();
    }
    const auto now = Clock::now();
    const bool may_run = !last_attempt_ || now - *last_attempt_ >= settings_.refresh_interval;
    const bool due = from_file ? (attempts_ == 0 || stamp != file_stamp_)
                               : (refresh_requested_ || now >= next_refresh_) && may_run;
    if (due) {
      refresh_requested_ = false;
      last_attempt_ = now;
      file_stamp_ = stamp;
      lock.unlock();
      std::optional<Loaded> loaded;
      std::string failure;
      try {
        loaded = load();
      } catch (const std::exception& error) {
        failure = error.what();
      }
      lock.lock();
      ++attempts_;
      const bool was_reachable = state_.reachable;
      if (loaded) {
        keys_ = std::move(loaded->keys);
        state_ = {true, keys_.size(), ""};
        next_refresh_ = now + loaded->lifetime;
        spdlog::info("identity provider keys: {} ({}), next refresh in {} s", keys_.size(),
                     kids_of(keys_), loaded->lifetime.count());
      } else {
        state_.reachable = false;
        state_.last_error = failure;
        next_refresh_ = now + settings_.refresh_interval;
        if (was_reachable || attempts_ == 1)
          spdlog::warn("identity provider keys not loaded ({} known keys keep working): {}",
                       keys_.size(), failure);
        else
          spdlog::debug("identity provider keys still not loaded: {}", failure);
      }
      if (reachable_gauge_ != nullptr) {
        reachable_gauge_->Set(loaded ? 1 : 0);
        (loaded ? fetched_ok_ : fetched_failed_)->Increment();
      }
      updated_.notify_all();
      continue;
    }
    auto wake_at = next_refresh_;
    if (refresh_requested_ && last_attempt_)
      wake_at = std::min(wake_at, *last_attempt_ + settings_.refresh_interval);
    if (from_file)
      wake_at = now + std::chrono::seconds(1);
    wake_.wait_until(lock, std::max(wake_at, now + std::chrono::milliseconds(10)));
  }
}

}  // namespace choreo::auth
