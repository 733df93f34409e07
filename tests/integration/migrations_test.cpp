// The migrator against a real PostgreSQL (the stack's, as its owning role): concurrent runs apply
// each file once, a changed or failing file is refused with its name, and `choreoctl migrate`
// behaves the same from separate processes. Each test migrates a throwaway database of its own.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "db/embedded_migrations.hpp"
#include "db/migrator.hpp"
#include "scratch_database.hpp"
#include "stack_env.hpp"

namespace {

using choreo::testing::ChildProcess;
using choreo::testing::choreoctl_binary;
using choreo::testing::ProcessResult;
using choreo::testing::ScratchDatabase;
using choreo::testing::with_database;

using choreo::db::embedded_migrations;
using choreo::db::MigrationError;
using choreo::db::MigrationReport;
using choreo::db::MigrationSource;
using choreo::db::Migrator;

// A database that exists for the lifetime of the object, created next to the stack's.
std::vector<std::string> embedded_file_names() {
  std::vector<std::string> names;
  for (const auto& source : embedded_migrations())
    names.emplace_back(source.file_name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<int> recorded_versions(const std::string& url) {
  pqxx::connection connection(url);
  pqxx::work tx(connection);
  std::vector<int> versions;
  for (const auto& row : tx.exec("SELECT version FROM schema_migrations ORDER BY version")) {
    versions.push_back(row[0].as<int>());
  }
  return versions;
}

std::vector<int> embedded_versions() {
  const Migrator migrator(embedded_migrations());
  std::vector<int> versions;
  for (const auto& migration : migrator.migrations()) {
    versions.push_back(migration.version);
  }
  return versions;
}

// Whether another session could take the migration lock right now (i.e. nobody holds it).
bool migration_lock_free(const std::string& url) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  const bool taken =
      tx.exec_params1("SELECT pg_try_advisory_lock($1)", choreo::db::kMigrationLockKey)[0]
          .as<bool>();
  if (taken)
    tx.exec_params("SELECT pg_advisory_unlock($1)", choreo::db::kMigrationLockKey);
  return taken;
}

TEST(Migrations, ConcurrentRunsApplyEachFileOnce) {
  ScratchDatabase database;
  const Migrator migrator(embedded_migrations());

  // Both threads connect first, then start together, so their runs really overlap.
  std::promise<void> go;
  const std::shared_future<void> start = go.get_future().share();
  const auto run = [&] {
    pqxx::connection connection(database.url());
    start.wait();
    return migrator.run(connection);
  };
  auto first = std::async(std::launch::async, run);
  auto second = std::async(std::launch::async, run);
  go.set_value();
  const MigrationReport a = first.get();
  const MigrationReport b = second.get();

  std::vector<std::string> applied = a.applied;
  applied.insert(applied.end(), b.applied.begin(), b.applied.end());
  std::sort(applied.begin(), applied.end());
  EXPECT_EQ(applied, embedded_file_names()) << "every file applied exactly once in total";
  EXPECT_EQ(a.applied.size() + a.skipped.size(), embedded_migrations().size());
  EXPECT_EQ(b.applied.size() + b.skipped.size(), embedded_migrations().size());

  EXPECT_EQ(recorded_versions(database.url()), embedded_versions());

  pqxx::connection connection(database.url());
  const auto third = migrator.run(connection);
  EXPECT_TRUE(third.applied.empty());
  EXPECT_EQ(third.skipped.size(), embedded_migrations().size());
  EXPECT_TRUE(migration_lock_free(database.url()));
}

TEST(Migrations, AnAppliedFileThatChangedIsRefusedByName) {
  ScratchDatabase database;
  const Migrator migrator(embedded_migrations());
  pqxx::connection connection(database.url());
  migrator.run(connection);
  {
    pqxx::work tx(connection);
    tx.exec("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
    tx.commit();
  }
  const std::string first_file = migrator.migrations().front().file_name;
  try {
    migrator.run(connection);
    ADD_FAILURE() << "expected a MigrationError";
  } catch (const MigrationError& error) {
    EXPECT_NE(std::string(error.what()).find(first_file), std::string::npos) << error.what();
  }
  EXPECT_TRUE(migration_lock_free(database.url())) << "the lock is released after an error";
}

TEST(Migrations, AFailingFileLeavesNothingAndKeepsTheFilesBeforeIt) {
  ScratchDatabase database;
  const MigrationSource sources[] = {
      {"001_good.sql", "CREATE TABLE migtest_good (x INT);"},
      {"002_bad.sql", "CREATE TABLE migtest_bad (x INT);\nSELECT no_such_function();"},
  };
  const Migrator migrator(sources);
  pqxx::connection connection(database.url());
  try {
    migrator.run(connection);
    ADD_FAILURE() << "expected a MigrationError";
  } catch (const MigrationError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("002_bad.sql"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
  }
  EXPECT_EQ(recorded_versions(database.url()), std::vector<int>{1});
  pqxx::work tx(connection);
  EXPECT_EQ(tx.exec1("SELECT to_regclass('migtest_good') IS NOT NULL")[0].as<bool>(), true);
  EXPECT_EQ(tx.exec1("SELECT to_regclass('migtest_bad') IS NOT NULL")[0].as<bool>(), false);
  tx.commit();
  EXPECT_TRUE(migration_lock_free(database.url()));
}

TEST(Migrations, ConcurrentChoreoctlMigrateProcessesBothSucceed) {
  const auto binary = choreoctl_binary();
  ASSERT_TRUE(std::filesystem::exists(binary))
      << binary << " does not exist: build the choreoctl target or set CHOREOCTL_BIN";
  ScratchDatabase database;
  const std::vector<std::string> env = {"DATABASE_URL=" + database.url()};

  ChildProcess first(binary, {"migrate"}, env);
  ChildProcess second(binary, {"migrate"}, env);
  const auto a = first.wait(std::chrono::seconds(120));
  const auto b = second.wait(std::chrono::seconds(120));
  EXPECT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(b.exit_code, 0) << b.output;

  // The migration lock lets exactly one of them apply the first file.
  const auto first_file = embedded_file_names().front();
  const auto applied_by = [&](const ProcessResult& r) {
    return r.output.find("applied " + first_file) != std::string::npos;
  };
  EXPECT_NE(applied_by(a), applied_by(b)) << a.output << "\n---\n" << b.output;
  EXPECT_EQ(recorded_versions(database.url()), embedded_versions());

  ChildProcess third(binary, {"migrate"}, env);
  const auto c = third.wait(std::chrono::seconds(60));
  EXPECT_EQ(c.exit_code, 0) << c.output;
  EXPECT_NE(c.output.find("up to date"), std::string::npos) << c.output;
}

TEST(Migrations, ChoreoctlMigrateReportsAnUnreachableDatabaseInOneLine) {
  const auto binary = choreoctl_binary();
  ASSERT_TRUE(std::filesystem::exists(binary)) << binary;
  ChildProcess child(binary, {"migrate"},
                     {"DATABASE_URL=postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"});
  const auto result = child.wait(std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_EQ(result.output.rfind("choreoctl migrate: ", 0), 0U) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
}

TEST(Migrations, WithDatabaseReplacesOnlyTheDatabaseName) {
  EXPECT_EQ(with_database("postgresql://u:p@h:5/orders", "x"), "postgresql://u:p@h:5/x");
  EXPECT_EQ(with_database("postgresql://u:p@h:5/orders?sslmode=disable", "x"),
            "postgresql://u:p@h:5/x?sslmode=disable");
  EXPECT_EQ(with_database("postgresql://h:5", "x"), "postgresql://h:5/x");
  EXPECT_EQ(with_database("postgresql://h?a=b", "x"), "postgresql://h/x?a=b");
  EXPECT_EQ(with_database("host=h dbname=orders", "x"), "host=h dbname=orders dbname=x");
}

}  // namespace
