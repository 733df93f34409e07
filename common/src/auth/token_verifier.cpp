#include "auth/token_verifier.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <jwt/jwt.hpp>

#include "auth/verification_key.hpp"
#include "cache/lru_map.hpp"
#include "config/env.hpp"
#include "http/https_fetch.hpp"

namespace choreo::auth {
namespace {

constexpr std::size_t kMaxTokenLength = 8192;
constexpr std::size_t kMaxSubjectLength = 255;             // tb_user.identifier's limit
constexpr double kLatestCachedExpiry = 253'402'300'800.0;  // 10000-01-01T00:00:00Z

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The value at a dotted path of nested objects ("realm_access.roles"), or nullptr.
const nlohmann::json* claim_at(const nlohmann::json& claims, std::string_view path) {
  const nlohmann::json* value = &claims;
  while (true) {
    const auto dot = path.find('.');
    const std::string name(path.substr(0, dot));
    if (!value->is_object() || !value->contains(name))
      return nullptr;
    value = &(*value)[name];
    if (dot == std::string_view::npos)
      return value;
    path.remove_prefix(dot + 1);
  }
}

std::vector<std::string> roles_in(const nlohmann::json& claims, const std::string& claim) {
  std::vector<std::string> roles;
  const auto* value = claim_at(claims, claim);
  if (value == nullptr || value->is_null())
    return roles;
  if (value->is_string()) {  // "operator viewer", as OAuth writes `scope`
    const auto text = value->get<std::string>();
    for (std::size_t start = 0; start < text.size();) {
      const auto end = std::min(text.find(' ', start), text.size());
      if (end > start)
        roles.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return roles;
  }
  if (!value->is_array())
    throw Unauthenticated("the token's " + claim + " claim must be a list of strings");
  for (const auto& entry : *value) {
    if (!entry.is_string())
      throw Unauthenticated("the token's " + claim + " claim must be a list of strings");
    roles.push_back(entry.get<std::string>());
  }
  return roles;
}

// The token's JOSE header (its first part), or Unauthenticated when it is not one.
nlohmann::json token_header(std::string_view token) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0)
    throw Unauthenticated("the token is malformed");
  const auto header =
      nlohmann::json::parse(jwt::base64_uri_decode(token.data(), dot), nullptr, false);
  if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string())
    throw Unauthenticated("the token is malformed");
  return header;
}

}  // namespace

bool Principal::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool token_verification_configured(const config::EnvReader& env) {
  return env.optional("JWT_SECRET") || env.optional("OIDC_ISSUER_URL") || env.optional("JWKS_FILE");
}

TokenSettings load_token_settings(const config::EnvReader& env) {
  TokenSettings settings;
  settings.hs256_secret = env.optional("JWT_SECRET");
  if (settings.hs256_secret && settings.hs256_secret->size() < 32) {
    throw config::ConfigError(
        "configuration: JWT_SECRET is too short; set JWT_SECRET to at least 32 characters");
  }
  settings.issuer = env.optional("OIDC_ISSUER_URL");
  const auto jwks_file = env.optional("JWKS_FILE");
  if (!token_verification_configured(env)) {
    throw config::ConfigError(
        "configuration: nothing to verify tokens with; set OIDC_ISSUER_URL (and OIDC_CLIENT_ID) "
        "for an identity provider, JWKS_FILE for a local key set, or JWT_SECRET (at least 32 "
        "characters) for HS256 tokens");
  }
  // The audience a provider puts in its tokens is the client they were issued to.
  settings.audience = env.optional("OIDC_AUDIENCE");
  if (!settings.audience)
    settings.audience = env.optional("OIDC_CLIENT_ID");
  settings.leeway = std::chrono::duration_cast<std::chrono::seconds>(
      env.duration_or("JWT_LEEWAY", std::chrono::seconds(30)));
  if (settings.leeway < std::chrono::seconds(0) || settings.leeway > std::chrono::minutes(5))
    throw config::ConfigError("configuration: JWT_LEEWAY must be between 0s and 5m");
  const auto claim_name = [&](const char* variable, std::string_view fallback,
                              const char* example) {
    auto name = env.string_or(variable, std::string(fallback));
    if (name.empty() || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string::npos) {
      throw config::ConfigError("configuration: " + std::string(variable) + " \"" + name +
                                "\" is not a claim name; give e.g. " + example);
    }
    return name;
  };
  settings.roles_claim =
      claim_name("JWT_ROLES_CLAIM", kDefaultRolesClaim, "roles or realm_access.roles");
  settings.subject_claim =
      claim_name("JWT_SUBJECT_CLAIM", kDefaultSubjectClaim, "sub or preferred_username");
  if (settings.issuer || jwks_file) {
    KeySourceSettings keys;
    keys.jwks_file = jwks_file;
    // With JWKS_FILE the keys come from the file; OIDC_ISSUER_URL then only checks `iss`.
    if (!jwks_file) {
      keys.issuer_url = settings.issuer;
      const auto security = http::url_security(*settings.issuer);
      if (security == http::UrlSecurity::kRefused) {
        throw config::ConfigError("configuration: OIDC_ISSUER_URL " + *settings.issuer +
                                  " must be an https:// URL (http:// only to 127.0.0.1)");
      }
      if (security == http::UrlSecurity::kLoopbackHttp)
        spdlog::warn("OIDC_ISSUER_URL {} is plain http: fit for a local test issuer only",
                     *settings.issuer);
    }
    keys.fetch.ca_file = env.optional("OIDC_CA_FILE");
    const auto seconds = [&](const char* name, std::chrono::seconds fallback) {
      return std::chrono::duration_cast<std::chrono::seconds>(env.duration_or(name, fallback));
    };
    keys.refresh_interval = seconds("JWKS_REFRESH_INTERVAL", keys.refresh_interval);
    keys.cache_floor = seconds("JWKS_CACHE_MIN", keys.cache_floor);
    keys.cache_ceiling = seconds("JWKS_CACHE_MAX", keys.cache_ceiling);
    if (keys.refresh_interval < std::chrono::seconds(1) ||
        keys.cache_floor < keys.refresh_interval || keys.cache_ceiling < keys.cache_floor) {
      throw config::ConfigError(
          "configuration: want 1s <= JWKS_REFRESH_INTERVAL <= JWKS_CACHE_MIN <= JWKS_CACHE_MAX");
    }
    settings.keys = std::move(keys);
  }
  return settings;
}

TokenVerifier::TokenVerifier(TokenSettings settings, prometheus::Registry* metrics)
    : settings_(std::move(settings)),
      keys_(settings_.keys ? std::make_unique<KeySource>(*settings_.keys, metrics) : nullptr),
      accepted_(std::make_unique<cache::LruMap<Accepted>>(settings_.cache_capacity)) {}

std::optional<KeySourceState> TokenVerifier::key_source_state() const {
  if (!keys_)
    return std::nullopt;
  return keys_->state();
}

TokenVerifier::~TokenVerifier() = default;
TokenVerifier::TokenVerifier(TokenVerifier&&) noexcept = default;

std::string_view TokenVerifier::bearer_token(const std::string* authorization_header) {
  if (authorization_header == nullptr || authorization_header->empty()) {
    throw Unauthenticated("missing Authorization header: send Authorization: Bearer <token>");
  }
  const std::string_view header = *authorization_header;
  const auto space = header.find(' ');
  if (space == std::string_view::npos || !iequals(header.substr(0, space), "Bearer")) {
    throw Unauthenticated("the Authorization header must use the Bearer scheme");
  }
  auto token = header.substr(space + 1);
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ')
    token.remove_suffix(1);
  if (token.empty())
    throw Unauthenticated("the Bearer token is empty");
  return token;
}

Principal TokenVerifier::verify(std::string_view token) const {
  if (token.size() > kMaxTokenLength)
    throw Unauthenticated("the token is too long");
  const auto now = std::chrono::system_clock::now();
  if (auto accepted = accepted_->find(token)) {
    // Expired, or signed by a key the provider no longer publishes: the full check says so.
    if (now <= accepted->valid_until && (!accepted->kid || keys_->holds(*accepted->kid))) {
      return std::move(accepted->principal);
    }
    accepted_->erase(token);
  }
  std::optional<std::chrono::system_clock::time_point> valid_until;
  std::optional<std::string> kid;
  auto principal = verify_uncached(token, valid_until, kid);
  if (valid_until && now <= *valid_until) {
    accepted_->put(std::string(token), Accepted{principal, *valid_until, std::move(kid)});
  }
  return principal;
}

std::string TokenVerifier::accepted_algorithms() const {
  std::string names = settings_.hs256_secret ? "HS256" : "";
  if (keys_)
    names += std::string(names.empty() ? "" : ", ") + "RS256, RS384, RS512, ES256, ES384";
  return names + " only";
}

Principal TokenVerifier::verify_uncached(
    std::string_view token, std::optional<std::chrono::system_clock::time_point>& valid_until,
    std::optional<std::string>& kid) const {
  try {
    // Which key: by the header's alg and kid. Only the algorithm configured for a kind of key is
    // ever paired with it: JWT_SECRET for HS256, a provider's public key for RS/ES.
    const auto header = token_header(token);
    const auto alg = header.value("alg", std::string());
    std::string key;
    if (alg == "HS256" && settings_.hs256_secret) {
      key = *settings_.hs256_secret;
    } else if (is_asymmetric_algorithm(alg) && keys_) {
      const auto named = header.contains("kid") && header["kid"].is_string()
                             ? header["kid"].get<std::string>()
                             : std::string();
      const auto found = keys_->key_for(named, alg);
      if (!found) {
        throw Unauthenticated(named.empty()
                                  ? "the token names no key (kid) the identity provider publishes"
                                  : "the token's key " + named +
                                        " is not among the identity provider's keys");
      }
      key = found->pem;
      kid = found->kid;
    } else {
      throw Unauthenticated("the token's algorithm is not accepted (" + accepted_algorithms() +
                            ")");
    }
    // cpp-jwt checks exp and nbf when they are present (with the leeway), and the signature of
    // the one algorithm allowed for this key.
    auto decoded =
        jwt::decode(jwt::string_view(token.data(), token.size()), jwt::params::algorithms({alg}),
                    jwt::params::secret(key), jwt::params::verify(true),
                    jwt::params::leeway(static_cast<uint32_t>(settings_.leeway.count())));
    const auto& payload = decoded.payload();
    if (!payload.has_claim("exp"))
      throw Unauthenticated("the token has no exp (expiry) claim");
    const auto& claims = payload.create_json_obj();
    const auto& name = settings_.subject_claim;
    const auto* subject_value = claim_at(claims, name);
    if (subject_value == nullptr)
      throw Unauthenticated("the token has no " + name + " (subject) claim");
    if (!subject_value->is_string())
      throw Unauthenticated("the token's " + name + " must be a string");
    auto subject = subject_value->get<std::string>();
    if (subject.empty() || subject.size() > kMaxSubjectLength) {
      throw Unauthenticated("the token's " + name + " must be 1 to 255 characters");
    }
    if (settings_.issuer) {
      if (!claims.contains("iss") || !claims["iss"].is_string() ||
          claims["iss"].get<std::string>() != *settings_.issuer) {
        throw Unauthenticated("the token's issuer is not accepted");
      }
    }
    if (settings_.audience) {
      bool accepted = false;
      if (claims.contains("aud") && claims["aud"].is_string()) {
        accepted = claims["aud"].get<std::string>() == *settings_.audience;
      } else if (claims.contains("aud") && claims["aud"].is_array()) {
        for (const auto& entry : claims["aud"]) {
          accepted =
              accepted || (entry.is_string() && entry.get<std::string>() == *settings_.audience);
        }
      }
      if (!accepted)
        throw Unauthenticated("the token's audience is not accepted");
    }
    if (claims["exp"].is_number()) {
      // Whole seconds, rounded down: a cached token never outlives what cpp-jwt would accept.
      // An exp past year 9999 is not remembered (it would overflow the clock).
      const double exp = claims["exp"].get<double>();
      if (exp >= 0 && exp < kLatestCachedExpiry) {
        valid_until = std::chrono::system_clock::time_point(
            std::chrono::seconds(static_cast<std::int64_t>(exp)) + settings_.leeway);
      }
    }
    return Principal{std::move(subject), roles_in(claims, settings_.roles_claim)};
  } catch (const Unauthenticated&) {
    throw;
  } catch (const jwt::TokenExpiredError&) {
    throw Unauthenticated("the token has expired");
  } catch (const jwt::ImmatureSignatureError&) {
    throw Unauthenticated("the token is not valid yet (nbf)");
  } catch (const jwt::InvalidAlgorithmError&) {
    throw Unauthenticated("the token's algorithm is not accepted (" + accepted_algorithms() + ")");
  } catch (const jwt::InvalidSignatureError&) {
    throw Unauthenticated("the token's signature is invalid");
  } catch (const std::exception&) {
    // Malformed base64, JSON or structure: the details help no legitimate client.
    throw Unauthenticated("the token is malformed");
  }
}

http::ReadinessCheck identity_provider_check(const TokenVerifier& verifier) {
  return {"identity_provider",
          [&verifier] {
            const auto state = verifier.key_source_state();
            return !state || state->reachable;
          },
          false};
}

}  // namespace choreo::auth
