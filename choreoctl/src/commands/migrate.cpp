#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <string_view>
#include <thread>

#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "db/database_url.hpp"
#include "db/embedded_migrations.hpp"
#include "db/migrator.hpp"
#include "runtime/service_names.hpp"
#include "runtime/service_settings.hpp"

namespace choreo::ctl {
namespace {

// Roles belong to the cluster: two migrate runs at once (or on two databases of one server) may
// set the same role's password together, and PostgreSQL refuses the second writer of the role's
// row with "tuple concurrently updated" instead of waiting. The same password again is harmless,
// so the loser tries again.
void alter_role_password(pqxx::connection& connection, const std::string& role,
                         const std::string& password) {
  constexpr int kAttempts = 20;
  for (int attempt = 1;; ++attempt) {
    try {
      pqxx::nontransaction tx(connection);
      tx.exec("ALTER ROLE " + tx.quote_name(role) + " PASSWORD " + tx.quote(password));
      return;
    } catch (const pqxx::sql_error& error) {
      if (attempt == kAttempts ||
          std::string_view(error.what()).find("tuple concurrently updated") ==
              std::string_view::npos)
        throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
  }
}

// Each service connects as its own role (made by the migrations, without a password): the
// password its <SERVICE>_DATABASE_URL names becomes the role's, so the URLs the services are given
// are the one place credentials are written down.
// Returns the roles whose password was set, each with the variable it came from.
std::vector<std::pair<std::string, std::string>> set_service_passwords(
    const CommandContext& context, pqxx::connection& connection) {
  std::vector<std::pair<std::string, std::string>> set;
  for (const auto name : runtime::kServiceNames) {
    const auto role = runtime::service_schema(std::string(name));
    const auto variable = runtime::database_url_variable(name);
    const auto url = context.env.optional(variable);
    if (!url)
      continue;
    const auto credentials = db::url_credentials(*url);
    if (!credentials || credentials->password.empty())
      continue;
    if (credentials->user != role) {
      throw UsageError(variable + " names the user \"" + credentials->user + "\"; the " +
                       std::string(name) + " connects as the role " + role);
    }
    alter_role_password(connection, role, credentials->password);
    set.emplace_back(role, variable);
  }
  return set;
}

int run_migrate(const CommandContext& context) {
  const auto parsed = parse_args(context.args, {}, 0, {"json"});
  const auto url = context.env.required(
      "DATABASE_URL", "PostgreSQL URL, e.g. postgresql://orders:orders@127.0.0.1:55432/orders");
  // Validate the embedded set before connecting: a broken build should not touch the database.
  const db::Migrator migrator(db::embedded_migrations());
  pqxx::connection connection(url);
  const auto report = migrator.run(connection);
  const auto passwords = set_service_passwords(context, connection);
  if (parsed.flag("json")) {
    nlohmann::ordered_json json;
    json["applied"] = report.applied;
    json["already_applied"] = report.skipped.size();
    auto roles = nlohmann::ordered_json::array();
    for (const auto& [role, variable] : passwords)
      roles.push_back({{"role", role}, {"from", variable}});
    json["passwords_set"] = std::move(roles);
    context.out << json.dump(2) << "\n";
    return kExitOk;
  }
  for (const auto& name : report.applied)
    context.out << "applied " << name << "\n";
  if (report.applied.empty()) {
    context.out << "up to date: " << report.skipped.size() << " migrations already applied\n";
  } else {
    context.out << "applied " << report.applied.size() << " migration(s); " << report.skipped.size()
                << " were already applied\n";
  }
  for (const auto& [role, variable] : passwords)
    context.out << "role " << role << ": password set from " << variable << "\n";
  return kExitOk;
}

}  // namespace

Command migrate_command() {
  return Command{
      "migrate", "migrate [--json]", "apply the schema migrations this build carries (sql/*.sql)",
      "Reads DATABASE_URL (the database owner's). Applies each missing migration once, in its\n"
      "own transaction; runs started at the same time wait for each other. Then gives each\n"
      "service's role the password its <SERVICE>_DATABASE_URL names, where one is set (e.g.\n"
      "PAYMENT_WORKER_DATABASE_URL). Exit 0 when the database is up to date.",
      run_migrate};
}

}  // namespace choreo::ctl
