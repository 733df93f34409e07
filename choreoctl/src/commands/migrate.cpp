#include <pqxx/connection>

#include "cli/options.hpp"
#include "commands/commands.hpp"
#include "config/env.hpp"
#include "db/embedded_migrations.hpp"
#include "db/migrator.hpp"

namespace choreo::ctl {
namespace {

int run_migrate(const CommandContext& context) {
  parse_args(context.args, {});
  const auto url = context.env.required(
      "DATABASE_URL", "PostgreSQL URL, e.g. postgresql://orders:orders@127.0.0.1:55432/orders");
  // Validate the embedded set before connecting: a broken build should not touch the database.
  const db::Migrator migrator(db::embedded_migrations());
  pqxx::connection connection(url);
  const auto report = migrator.run(connection);
  for (const auto& name : report.applied)
    context.out << "applied " << name << "\n";
  if (report.applied.empty()) {
    context.out << "up to date: " << report.skipped.size() << " migrations already applied\n";
  } else {
    context.out << "applied " << report.applied.size() << " migration(s); " << report.skipped.size()
                << " were already applied\n";
  }
  return kExitOk;
}

}  // namespace

Command migrate_command() {
  return Command{
      "migrate", "migrate", "apply the schema migrations this build carries (sql/*.sql)",
      "Reads DATABASE_URL. Applies each missing migration once, in its own transaction; runs\n"
      "started at the same time wait for each other. Exit 0 when the database is up to date.",
      run_migrate};
}

}  // namespace choreo::ctl
