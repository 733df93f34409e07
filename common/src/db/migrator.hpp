#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "db/embedded_migrations.hpp"

namespace choreo::db {

// A migration set that cannot be applied safely: a badly named or duplicated file, or a file that
// changed after it was applied. what() is one line naming the file.
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database lacks migrations this build needs and this connection may not apply them (a
// service connected as its own role): transient, since the owner's `choreoctl migrate` fixes it.
class SchemaNotReady : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Session advisory-lock key held while migrating, so concurrent starts of any binaries against
// one database apply each file exactly once (advisory locks are per database, so migrations of
// different databases in one cluster do not wait for each other). Other advisory locks of the
// project must not use this key.
inline constexpr std::int64_t kMigrationLockKey = 0x63686f72656f0001;  // "choreo" + 1

// One migration of this build, ready to apply.
struct Migration {
  int version = 0;
  std::string file_name;
  std::string_view sql;
  std::string checksum;  // SHA-256 of sql, lowercase hex
};

// One row of schema_migrations.
struct AppliedMigration {
  int version = 0;
  std::string file_name;
  std::string checksum;
};

struct MigrationReport {
  std::vector<std::string> applied;  // file names applied by this run, in order
  std::vector<std::string> skipped;  // file names found already applied
};

// "001_foundation.sql" -> 1. A name must start with a number (at most 9 digits, above 0)
// followed by '_'; anything else is a MigrationError.
int migration_version(std::string_view file_name);

// SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

// The sources ordered by version, with checksums. Throws MigrationError on a bad name or two
// files with the same version.
std::vector<Migration> plan_migrations(std::span<const MigrationSource> sources);

// The planned migrations not yet applied, in order. Throws MigrationError naming the file when an
// applied migration's checksum differs from this build's file (an applied file was edited).
// Applied versions this build does not know (a newer build migrated the database) are ignored.
std::vector<Migration> pending_migrations(const std::vector<Migration>& planned,
                                          const std::vector<AppliedMigration>& applied);

// Applies numbered SQL migrations once each, recording them in schema_migrations.
class Migrator {
 public:
  // Validates the set at once (see plan_migrations), so a broken build fails before connecting.
  explicit Migrator(std::span<const MigrationSource> sources);

  // Takes the migration lock (waiting for a concurrent run to finish), applies each missing
  // migration in its own transaction together with its schema_migrations row, and releases the
  // lock, also on error. Throws MigrationError or a pqxx error; a failed file leaves nothing
  // behind, and the files before it stay applied.
  MigrationReport run(pqxx::connection& connection) const;
  // Only checks: throws SchemaNotReady when a migration of this build is not applied yet (and
  // MigrationError when an applied file differs). Needs no more than SELECT.
  void verify(pqxx::connection& connection) const;

  const std::vector<Migration>& migrations() const { return migrations_; }

 private:
  std::vector<Migration> migrations_;
};

// Whether this connection's role may apply migrations: a superuser, or the database's owner (or
// a member of it).
bool may_migrate(pqxx::connection& connection);

// What a service does at start: migrate when it may (connected as the owner), else wait for the
// owner to have done it (verify, which throws SchemaNotReady until then).
MigrationReport ensure_schema(pqxx::connection& connection, const Migrator& migrator);

}  // namespace choreo::db
