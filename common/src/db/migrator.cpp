#include "db/migrator.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

namespace choreo::db {
namespace {

constexpr std::size_t kMaxVersionDigits = 9;  // keeps every version inside an INT column

// Holds a session-level advisory lock for its lifetime. Session level, not transaction level,
// because the lock must span the several transactions of one run (one per file).
class SessionAdvisoryLock {
 public:
  SessionAdvisoryLock(pqxx::connection& connection, std::int64_t key)
      : connection_(connection), key_(key) {
    pqxx::nontransaction tx(connection_, "migration lock");
    if (!tx.exec_params1("SELECT pg_try_advisory_lock($1)", key_)[0].as<bool>()) {
      spdlog::info("migrations: another process is migrating this database; waiting for it");
      tx.exec_params("SELECT pg_advisory_lock($1)", key_);
    }
  }

  ~SessionAdvisoryLock() {
    // Closing the connection would release the lock too, so a failure here only delays other
    // runs until this connection ends; it must not replace the exception being thrown.
    try {
      pqxx::nontransaction tx(connection_, "migration unlock");
      tx.exec_params("SELECT pg_advisory_unlock($1)", key_);
    } catch (const std::exception& error) {
      spdlog::warn("migrations: could not release the migration lock: {}", error.what());
    }
  }

  SessionAdvisoryLock(const SessionAdvisoryLock&) = delete;
  SessionAdvisoryLock& operator=(const SessionAdvisoryLock&) = delete;

 private:
  pqxx::connection& connection_;
  std::int64_t key_;
};

// PostgreSQL's messages continue with LINE/HINT lines; the first line says what went wrong.
std::string first_line(std::string_view text) {
  const auto end = text.find('\n');
  std::string line(text.substr(0, end));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
    line.pop_back();
  return line;
}

// Always public.schema_migrations, whatever the session's search_path: the services' schemas come
// first in it since 012, and the bookkeeping must not move with them.
std::vector<AppliedMigration> read_applied(pqxx::connection& connection, bool create) {
  pqxx::work tx(connection, "read schema_migrations");
  if (create) {
    tx.exec(
        "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
        " version INT PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " checksum TEXT NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  } else if (tx.exec1("SELECT to_regclass('public.schema_migrations') IS NULL")[0].as<bool>()) {
    return {};
  }
  std::vector<AppliedMigration> applied;
  for (const auto& row : tx.exec("SELECT version, name, checksum FROM public.schema_migrations")) {
    applied.push_back(
        AppliedMigration{row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::string>()});
  }
  tx.commit();
  return applied;
}

void apply(pqxx::connection& connection, const Migration& migration) {
  const auto started = std::chrono::steady_clock::now();
  pqxx::work tx(connection, "migration");
  // The file and its bookkeeping row commit together: a crash mid-file leaves neither.
  try {
    tx.exec(std::string(migration.sql));
  } catch (const pqxx::sql_error& error) {
    // Name the file; a lost connection (pqxx::broken_connection) passes through unchanged so
    // callers can still tell a transient fault from a broken migration.
    throw MigrationError("migration " + migration.file_name +
                         " failed: " + first_line(error.what()));
  }
  tx.exec_params(
      "INSERT INTO public.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
      migration.version, migration.file_name, migration.checksum);
  tx.commit();
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  spdlog::info("migrations: applied {} in {} ms", migration.file_name, elapsed.count());
}

}  // namespace

int migration_version(std::string_view file_name) {
  std::size_t digits = 0;
  while (digits < file_name.size() && file_name[digits] >= '0' && file_name[digits] <= '9') {
    ++digits;
  }
  const auto quoted = "\"" + std::string(file_name) + "\"";
  if (digits == 0 || digits >= file_name.size() || file_name[digits] != '_') {
    throw MigrationError("migration file " + quoted +
                         " must be named <number>_<description>.sql, e.g. 005_add_index.sql");
  }
  if (digits > kMaxVersionDigits) {
    throw MigrationError("migration file " + quoted + " has a version number longer than " +
                         std::to_string(kMaxVersionDigits) + " digits");
  }
  int version = 0;
  for (std::size_t i = 0; i < digits; ++i)
    version = version * 10 + (file_name[i] - '0');
  if (version == 0) {
    throw MigrationError("migration file " + quoted + " must have a version number above 0");
  }
  return version;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 computation failed (OpenSSL)");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

std::vector<Migration> plan_migrations(std::span<const MigrationSource> sources) {
  std::vector<Migration> planned;
  planned.reserve(sources.size());
  for (const auto& source : sources) {
    planned.push_back(Migration{migration_version(source.file_name), std::string(source.file_name),
                                source.sql, sha256_hex(source.sql)});
  }
  std::sort(planned.begin(), planned.end(), [](const Migration& a, const Migration& b) {
    return a.version != b.version ? a.version < b.version : a.file_name < b.file_name;
  });
  for (std::size_t i = 1; i < planned.size(); ++i) {
    if (planned[i].version == planned[i - 1].version) {
      throw MigrationError("migration files " + planned[i - 1].file_name + " and " +
                           planned[i].file_name + " share version " +
                           std::to_string(planned[i].version) + "; renumber one of them");
    }
  }
  return planned;
}

namespace {

// Files whose comments were reworded after databases had applied them, their SQL unchanged: the
// checksum of the earlier text, which those databases recorded, still stands for the file.
struct RewordedMigration {
  std::string_view file_name;
  std::string_view earlier_checksum;
};
constexpr RewordedMigration kRewordedMigrations[] = {
    // A comment named a document outside the repository; it now names docs/events.md.
    {"005_observers.sql", "107ce65374511ce71ca7232fa4d8328854718a2f225d47f3fbf33b146ded6fad"},
};

bool recorded_checksum_matches(const Migration& migration, const std::string& recorded) {
  if (recorded == migration.checksum)
    return true;
  return std::any_of(std::begin(kRewordedMigrations), std::end(kRewordedMigrations),
                     [&](const RewordedMigration& reworded) {
                       return reworded.file_name == migration.file_name &&
                              reworded.earlier_checksum == recorded;
                     });
}

}  // namespace

std::vector<Migration> pending_migrations(const std::vector<Migration>& planned,
                                          const std::vector<AppliedMigration>& applied) {
  std::map<int, const AppliedMigration*> applied_by_version;
  for (const auto& row : applied)
    applied_by_version[row.version] = &row;

  std::vector<Migration> pending;
  for (const auto& migration : planned) {
    const auto found = applied_by_version.find(migration.version);
    if (found == applied_by_version.end()) {
      pending.push_back(migration);
      continue;
    }
    if (!recorded_checksum_matches(migration, found->second->checksum)) {
      throw MigrationError("migration " + migration.file_name +
                           " was changed after it was applied (checksum in the database " +
                           found->second->checksum.substr(0, 12) + "..., in this build " +
                           migration.checksum.substr(0, 12) +
                           "...); restore the file and put the change in a new migration");
    }
  }
  return pending;
}

Migrator::Migrator(std::span<const MigrationSource> sources)
    : migrations_(plan_migrations(sources)) {}

MigrationReport Migrator::run(pqxx::connection& connection) const {
  SessionAdvisoryLock lock(connection, kMigrationLockKey);
  // Migrations resolve names as the database does for anyone (not in one service's schema): a
  // new database creates its tables in public, which 012 then moves into the services' schemas.
  // Files after 012 name their schemas.
  {
    pqxx::nontransaction tx(connection);
    tx.exec("SET search_path TO DEFAULT");
  }

  const auto applied = read_applied(connection, true);
  for (const auto& row : applied) {
    const bool known = std::any_of(migrations_.begin(), migrations_.end(),
                                   [&](const Migration& m) { return m.version == row.version; });
    if (!known) {
      spdlog::warn("migrations: the database has {} (version {}), which this build does not know",
                   row.file_name, row.version);
    }
  }

  const auto pending = pending_migrations(migrations_, applied);
  MigrationReport report;
  for (const auto& migration : migrations_) {
    const bool is_pending = std::any_of(pending.begin(), pending.end(), [&](const Migration& m) {
      return m.version == migration.version;
    });
    if (!is_pending)
      report.skipped.push_back(migration.file_name);
  }
  for (const auto& migration : pending) {
    apply(connection, migration);
    report.applied.push_back(migration.file_name);
  }
  if (report.applied.empty()) {
    spdlog::info("migrations: database is up to date ({} applied)", report.skipped.size());
  }
  return report;
}

void Migrator::verify(pqxx::connection& connection) const {
  const auto pending = pending_migrations(migrations_, read_applied(connection, false));
  if (!pending.empty()) {
    throw SchemaNotReady("the database lacks " + std::to_string(pending.size()) +
                         " migration(s) this build needs, from " + pending.front().file_name +
                         "; they are applied by the database owner: choreoctl migrate with its "
                         "DATABASE_URL");
  }
}

bool may_migrate(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  return tx
      .exec1(
          "SELECT r.rolsuper OR pg_has_role(current_user, d.datdba, 'USAGE') "
          "FROM pg_database d, pg_roles r "
          "WHERE d.datname = current_database() AND r.rolname = current_user")[0]
      .as<bool>();
}

MigrationReport ensure_schema(pqxx::connection& connection, const Migrator& migrator) {
  if (may_migrate(connection))
    return migrator.run(connection);
  migrator.verify(connection);
  return {};
}

}  // namespace choreo::db
