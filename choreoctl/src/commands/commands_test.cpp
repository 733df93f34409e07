#include <gtest/gtest.h>

#include <jwt/jwt.hpp>
#include <sstream>

#include "auth/token_verifier.hpp"
#include "cli/dispatch.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"

namespace choreo::ctl {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome run(const std::vector<std::string>& args, std::map<std::string, std::string> environment) {
  const config::EnvReader env(std::move(environment));
  std::ostringstream out;
  std::ostringstream err;
  const int code = run_cli(args, all_commands(), env, out, err);
  return {code, out.str(), err.str()};
}

TEST(TokenCommand, PrintsATokenForTheGivenUser) {
  const auto outcome = run({"token", "--sub", "alice", "--ttl", "30m"}, {{"JWT_SECRET", "k"}});
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  ASSERT_FALSE(outcome.out.empty());
  EXPECT_EQ(outcome.out.back(), '\n');
  const auto token = outcome.out.substr(0, outcome.out.size() - 1);
  const auto decoded = jwt::decode(token, jwt::params::algorithms({"HS256"}),
                                   jwt::params::secret("k"), jwt::params::verify(true));
  EXPECT_EQ(decoded.payload().get_claim_value<std::string>("sub"), "alice");
  EXPECT_EQ(decoded.payload().get_claim_value<std::int64_t>("exp") -
                decoded.payload().get_claim_value<std::int64_t>("iat"),
            1800);
}

TEST(TokenCommand, DefaultsToTheDemoUserForADay) {
  const auto outcome = run({"token"}, {{"JWT_SECRET", "k"}});
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  const auto decoded =
      jwt::decode(outcome.out.substr(0, outcome.out.size() - 1), jwt::params::algorithms({"HS256"}),
                  jwt::params::secret("k"), jwt::params::verify(true));
  EXPECT_EQ(decoded.payload().get_claim_value<std::string>("sub"), "demo");
  EXPECT_EQ(decoded.payload().get_claim_value<std::int64_t>("exp") -
                decoded.payload().get_claim_value<std::int64_t>("iat"),
            86400);
}

TEST(TokenCommand, AnOperatorTokenListsTheRoleWhereTheServicesReadIt) {
  const std::string secret = "an-hs256-secret-of-more-than-32-characters";
  for (const std::string claim : {"", "realm_access.roles"}) {
    std::map<std::string, std::string> environment{{"JWT_SECRET", secret}};
    if (!claim.empty())
      environment["JWT_ROLES_CLAIM"] = claim;
    const auto outcome = run({"token", "--operator"}, environment);
    ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
    const auto token = outcome.out.substr(0, outcome.out.size() - 1);
    // The services' own verifier, configured from the same environment.
    const auth::TokenVerifier verifier(auth::load_token_settings(config::EnvReader(environment)));
    const auto principal = verifier.verify(token);
    EXPECT_EQ(principal.subject, "operator");
    EXPECT_EQ(principal.roles, std::vector<std::string>{"operator"}) << claim;
  }
  const auto user = run({"token", "--sub", "alice"}, {{"JWT_SECRET", secret}});
  ASSERT_EQ(user.code, kExitOk) << user.err;
  const auth::TokenVerifier verifier(auth::TokenSettings{secret, {}, {}});
  EXPECT_TRUE(verifier.verify(user.out.substr(0, user.out.size() - 1)).roles.empty());
}

TEST(TokenCommand, MissingSecretIsAConfigError) {
  const auto outcome = run({"token"}, {});
  EXPECT_EQ(outcome.code, kExitUsage);
  EXPECT_EQ(outcome.err.find("configuration: set JWT_SECRET"), 0U) << outcome.err;
  EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1);
  EXPECT_TRUE(outcome.out.empty());
}

TEST(TokenCommand, RejectsABadTtl) {
  for (const std::string ttl : {"soon", "0s", "100000h"}) {
    const auto outcome = run({"token", "--ttl", ttl}, {{"JWT_SECRET", "k"}});
    EXPECT_EQ(outcome.code, kExitUsage) << ttl;
    EXPECT_NE(outcome.err.find("--ttl"), std::string::npos) << outcome.err;
  }
}

TEST(MigrateCommand, MissingDatabaseUrlIsAConfigError) {
  const auto outcome = run({"migrate"}, {});
  EXPECT_EQ(outcome.code, kExitUsage);
  EXPECT_EQ(outcome.err.find("configuration: set DATABASE_URL"), 0U) << outcome.err;
}

TEST(MigrateCommand, UnreachableDatabaseIsAOneLineFailure) {
  // Port 1 on loopback refuses at once: no waiting on a timeout.
  const auto outcome = run(
      {"migrate"}, {{"DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"}});
  EXPECT_EQ(outcome.code, kExitFailure);
  EXPECT_EQ(outcome.err.rfind("choreoctl migrate: ", 0), 0U) << outcome.err;
  EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << outcome.err;
}

TEST(HelpCommand, DescribesACommand) {
  const auto outcome = run({"help", "token"}, {});
  EXPECT_EQ(outcome.code, kExitOk);
  EXPECT_NE(outcome.out.find("token [--sub SUB] [--ttl DURATION] [--operator]"), std::string::npos);
  EXPECT_NE(outcome.out.find("JWT_SECRET"), std::string::npos);
  EXPECT_EQ(run({"help", "nope"}, {}).code, kExitUsage);
}

TEST(DlqCommand, UsageErrorsExit2BeforeTouchingAnything) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"dlq"},
                                               {"dlq", "purge"},
                                               {"dlq", "replay"},
                                               {"dlq", "replay", "abc"},
                                               {"dlq", "replay", "0"},
                                               {"dlq", "replay", "1", "2"},
                                               {"dlq", "list", "--limit", "0"},
                                               {"dlq", "list", "--all=yes"},
                                               {"dlq", "list", "--force"},
                                               {"dlq", "replay", "--all", "3"},
                                               {"dlq", "replay", "--all", "--since", "soon"},
                                               {"dlq", "replay", "3", "--dry-run"},
                                               {"dlq", "replay", "3", "--consumer", "c"}}) {
    const auto outcome = run(args, {{"DATABASE_URL", "postgresql://nowhere.invalid/x"}});
    EXPECT_EQ(outcome.code, kExitUsage) << args.back() << ": " << outcome.err;
    EXPECT_NE(outcome.err.find("usage: choreoctl dlq"), std::string::npos) << outcome.err;
  }
}

TEST(InspectionCommands, UsageErrorsExit2BeforeTouchingAnything) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"order"},
                                               {"order", "a", "b"},
                                               {"status", "--bogus"},
                                               {"status", "--timeout", "never"},
                                               {"consumers", "extra"},
                                               {"tail", "a", "b"}}) {
    const auto outcome = run(args, {{"DATABASE_URL", "postgresql://nowhere.invalid/x"}});
    EXPECT_EQ(outcome.code, kExitUsage) << args.back() << ": " << outcome.err;
    EXPECT_NE(outcome.err.find("usage: choreoctl " + args.front()), std::string::npos)
        << outcome.err;
  }
}

TEST(InspectionCommands, FlagsMayFollowThePositionalArguments) {
  // Parsed as the order's reference plus --json; fails only on reaching the database.
  const auto outcome = run({"order", "ord-1", "--json"}, {});
  EXPECT_EQ(outcome.code, kExitUsage);
  EXPECT_NE(outcome.err.find("DATABASE_URL"), std::string::npos) << outcome.err;
}

TEST(DlqCommand, NeedsDatabaseUrl) {
  const auto outcome = run({"dlq", "list"}, {});
  EXPECT_EQ(outcome.code, kExitUsage);
  EXPECT_NE(outcome.err.find("DATABASE_URL"), std::string::npos) << outcome.err;
}

}  // namespace
}  // namespace choreo::ctl
