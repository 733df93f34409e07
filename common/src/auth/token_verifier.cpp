#include "auth/token_verifier.hpp"

#include <algorithm>
#include <jwt/jwt.hpp>

#include "cache/lru_map.hpp"
#include "config/env.hpp"

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

}  // namespace

bool Principal::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

TokenSettings load_token_settings(const config::EnvReader& env) {
  TokenSettings settings;
  settings.hs256_secret =
      env.required("JWT_SECRET", "the HS256 secret the API's tokens are signed with");
  if (settings.hs256_secret.size() < 32) {
    throw config::ConfigError(
        "configuration: JWT_SECRET is too short; set JWT_SECRET to at least 32 characters");
  }
  settings.issuer = env.optional("OIDC_ISSUER_URL");
  settings.audience = env.optional("OIDC_AUDIENCE");
  settings.roles_claim = env.string_or("JWT_ROLES_CLAIM", std::string(kDefaultRolesClaim));
  if (settings.roles_claim.empty() || settings.roles_claim.front() == '.' ||
      settings.roles_claim.back() == '.' || settings.roles_claim.find("..") != std::string::npos) {
    throw config::ConfigError("configuration: JWT_ROLES_CLAIM \"" + settings.roles_claim +
                              "\" is not a claim name; give e.g. roles or realm_access.roles");
  }
  return settings;
}

TokenVerifier::TokenVerifier(TokenSettings settings)
    : settings_(std::move(settings)),
      accepted_(std::make_unique<cache::LruMap<Accepted>>(settings_.cache_capacity)) {}

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
    if (now <= accepted->valid_until) {
      return std::move(accepted->principal);
    }
    accepted_->erase(token);  // expired: the full check below says so
  }
  std::optional<std::chrono::system_clock::time_point> valid_until;
  auto principal = verify_uncached(token, valid_until);
  if (valid_until && now <= *valid_until) {
    accepted_->put(std::string(token), Accepted{principal, *valid_until});
  }
  return principal;
}

Principal TokenVerifier::verify_uncached(
    std::string_view token,
    std::optional<std::chrono::system_clock::time_point>& valid_until) const {
  try {
    // cpp-jwt checks exp and nbf when they are present (with the leeway), and the signature of
    // the one algorithm allowed here.
    auto decoded = jwt::decode(
        jwt::string_view(token.data(), token.size()), jwt::params::algorithms({"HS256"}),
        jwt::params::secret(settings_.hs256_secret), jwt::params::verify(true),
        jwt::params::leeway(static_cast<uint32_t>(settings_.leeway.count())));
    const auto& payload = decoded.payload();
    if (!payload.has_claim("exp"))
      throw Unauthenticated("the token has no exp (expiry) claim");
    if (!payload.has_claim("sub"))
      throw Unauthenticated("the token has no sub (subject) claim");
    const auto& claims = payload.create_json_obj();
    if (!claims["sub"].is_string())
      throw Unauthenticated("the token's sub must be a string");
    auto subject = claims["sub"].get<std::string>();
    if (subject.empty() || subject.size() > kMaxSubjectLength) {
      throw Unauthenticated("the token's sub must be 1 to 255 characters");
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
    throw Unauthenticated("the token's algorithm is not accepted (HS256 only)");
  } catch (const jwt::InvalidSignatureError&) {
    throw Unauthenticated("the token's signature is invalid");
  } catch (const std::exception&) {
    // Malformed base64, JSON or structure: the details help no legitimate client.
    throw Unauthenticated("the token is malformed");
  }
}

}  // namespace choreo::auth
