#include <chrono>
#include <nlohmann/json.hpp>

#include "auth/token_verifier.hpp"
#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "token/hs256_token.hpp"

namespace choreo::ctl {
namespace {

constexpr auto kDefaultTtl = std::chrono::hours(24);
constexpr auto kMaxTtl = std::chrono::hours(24 * 366);
constexpr std::size_t kMaxSubjectLength = 255;  // tb_user.identifier's limit

int run_token(const CommandContext& context) {
  const auto args = parse_args(context.args, {"sub", "ttl"}, 0, {"operator", "json"});
  const auto secret =
      context.env.required("JWT_SECRET", "the HS256 secret the order service verifies tokens with");

  const bool operator_token = args.flag("operator");
  const auto subject = args.option("sub").value_or(operator_token ? "operator" : "demo");
  if (subject.empty() || subject.size() > kMaxSubjectLength) {
    throw UsageError("--sub must be 1 to " + std::to_string(kMaxSubjectLength) +
                     " characters long");
  }
  std::chrono::milliseconds ttl = kDefaultTtl;
  if (const auto text = args.option("ttl")) {
    const auto parsed = config::parse_duration(*text);
    if (!parsed || *parsed < std::chrono::seconds(1) || *parsed > kMaxTtl) {
      throw UsageError("--ttl \"" + *text + "\" is not valid; give a duration from 1s to 8784h, " +
                       "e.g. 30m or 24h");
    }
    ttl = *parsed;
  }

  TokenClaims claims;
  claims.subject = subject;
  claims.issued_at = std::chrono::system_clock::now();
  claims.ttl = std::chrono::duration_cast<std::chrono::seconds>(ttl);
  // Tokens must also pass the service's iss/aud checks when those are configured.
  claims.issuer = context.env.optional("OIDC_ISSUER_URL");
  claims.audience = context.env.optional("OIDC_AUDIENCE");
  if (!claims.audience)
    claims.audience = context.env.optional("OIDC_CLIENT_ID");  // the services' default audience
  if (operator_token) {
    claims.roles = {std::string(auth::kOperatorRole)};
    // Where the services read roles (auth::TokenSettings): the same variable, the same default.
    claims.roles_claim =
        context.env.string_or("JWT_ROLES_CLAIM", std::string(auth::kDefaultRolesClaim));
  }
  const auto token = make_hs256_token(secret, claims);
  if (args.flag("json")) {
    nlohmann::ordered_json json;
    json["token"] = token;
    json["sub"] = claims.subject;
    json["expires_in_seconds"] = claims.ttl.count();
    json["roles"] = claims.roles;
    context.out << json.dump(2) << "\n";
    return kExitOk;
  }
  context.out << token << "\n";
  return kExitOk;
}

}  // namespace

Command token_command() {
  return Command{
      "token", "token [--sub SUB] [--ttl DURATION] [--operator] [--json]",
      "print an HS256 token for the services (user SUB, default demo)",
      "Reads JWT_SECRET. The token carries sub, iat and exp (--ttl: default 24h, e.g. 30m or\n"
      "168h), plus iss and aud when OIDC_ISSUER_URL / OIDC_AUDIENCE are set. --operator: an\n"
      "operator's token (sub default operator) whose roles claim (JWT_ROLES_CLAIM, default\n"
      "roles) lists operator, for the dashboard and the operator's write actions.",
      run_token};
}

}  // namespace choreo::ctl
