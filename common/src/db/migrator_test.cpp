#include "db/migrator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace choreo::db {
namespace {

// Expects `call` to throw MigrationError whose message contains `fragment`.
template <typename Call>
void expect_migration_error(Call call, const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "expected a MigrationError mentioning \"" << fragment << "\"";
  } catch (const MigrationError& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

TEST(MigrationVersion, ReadsTheLeadingNumber) {
  EXPECT_EQ(migration_version("001_foundation.sql"), 1);
  EXPECT_EQ(migration_version("042_add_index.sql"), 42);
  EXPECT_EQ(migration_version("7_x.sql"), 7);
  EXPECT_EQ(migration_version("123456789_big.sql"), 123456789);
}

TEST(MigrationVersion, RejectsNamesWithoutANumberAndUnderscore) {
  for (const std::string name :
       {"foundation.sql", "_001.sql", "001.sql", "001", "", "v1_x.sql", "001-foundation.sql"}) {
    expect_migration_error([&] { migration_version(name); }, "\"" + name + "\"");
  }
}

TEST(MigrationVersion, RejectsZeroAndOverlongNumbers) {
  expect_migration_error([] { migration_version("000_x.sql"); }, "above 0");
  expect_migration_error([] { migration_version("1234567890_x.sql"); }, "digits");
}

TEST(Sha256Hex, MatchesKnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(PlanMigrations, OrdersByVersionNotByInputOrder) {
  const MigrationSource sources[] = {
      {"010_ten.sql", "SELECT 10"}, {"002_two.sql", "SELECT 2"}, {"001_one.sql", "SELECT 1"}};
  const auto planned = plan_migrations(sources);
  ASSERT_EQ(planned.size(), 3U);
  EXPECT_EQ(planned[0].file_name, "001_one.sql");
  EXPECT_EQ(planned[1].file_name, "002_two.sql");
  EXPECT_EQ(planned[2].file_name, "010_ten.sql");
  EXPECT_EQ(planned[2].version, 10);
  EXPECT_EQ(planned[0].sql, "SELECT 1");
  EXPECT_EQ(planned[0].checksum, sha256_hex("SELECT 1"));
}

TEST(PlanMigrations, RejectsDuplicateVersionsNamingBothFiles) {
  const MigrationSource sources[] = {{"001_a.sql", "SELECT 1"}, {"01_b.sql", "SELECT 2"}};
  try {
    plan_migrations(sources);
    ADD_FAILURE() << "expected a MigrationError";
  } catch (const MigrationError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("001_a.sql"), std::string::npos) << message;
    EXPECT_NE(message.find("01_b.sql"), std::string::npos) << message;
  }
}

TEST(PlanMigrations, RejectsABadNameInTheSet) {
  const MigrationSource sources[] = {{"001_a.sql", "SELECT 1"}, {"readme.sql", ""}};
  expect_migration_error([&] { plan_migrations(sources); }, "readme.sql");
}

TEST(PlanMigrations, EmptySetIsFine) {
  EXPECT_TRUE(plan_migrations({}).empty());
  EXPECT_TRUE(Migrator({}).migrations().empty());
}

TEST(PendingMigrations, ReturnsTheMissingOnesInOrder) {
  const MigrationSource sources[] = {
      {"001_a.sql", "SELECT 1"}, {"002_b.sql", "SELECT 2"}, {"003_c.sql", "SELECT 3"}};
  const auto planned = plan_migrations(sources);
  const std::vector<AppliedMigration> applied = {{2, "002_b.sql", sha256_hex("SELECT 2")}};
  const auto pending = pending_migrations(planned, applied);
  ASSERT_EQ(pending.size(), 2U);
  EXPECT_EQ(pending[0].file_name, "001_a.sql");
  EXPECT_EQ(pending[1].file_name, "003_c.sql");
}

TEST(PendingMigrations, NothingWhenAllApplied) {
  const MigrationSource sources[] = {{"001_a.sql", "SELECT 1"}};
  const auto planned = plan_migrations(sources);
  EXPECT_TRUE(pending_migrations(planned, {{1, "001_a.sql", sha256_hex("SELECT 1")}}).empty());
}

TEST(PendingMigrations, DetectsAnAppliedFileThatChanged) {
  const MigrationSource sources[] = {{"001_a.sql", "SELECT 1"},
                                     {"002_b.sql", "SELECT 2 -- edited"}};
  const auto planned = plan_migrations(sources);
  const std::vector<AppliedMigration> applied = {{1, "001_a.sql", sha256_hex("SELECT 1")},
                                                 {2, "002_b.sql", sha256_hex("SELECT 2")}};
  expect_migration_error([&] { pending_migrations(planned, applied); },
                         "002_b.sql was changed after it was applied");
}

TEST(PendingMigrations, AcceptsTheEarlierTextOfAFileWhoseCommentsWereReworded) {
  // 005's comment was reworded after databases had applied it: their checksum still stands.
  const MigrationSource sources[] = {{"005_observers.sql", "-- reworded\nSELECT 5"}};
  const auto planned = plan_migrations(sources);
  const std::string earlier = "107ce65374511ce71ca7232fa4d8328854718a2f225d47f3fbf33b146ded6fad";
  EXPECT_TRUE(pending_migrations(planned, {{5, "005_observers.sql", earlier}}).empty());
  // Only that earlier text: any other change is still refused.
  expect_migration_error(
      [&] {
        pending_migrations(planned, {{5, "005_observers.sql", sha256_hex("SELECT 6")}});
      },
      "005_observers.sql was changed after it was applied");
}

TEST(PendingMigrations, IgnoresAppliedVersionsThisBuildDoesNotKnow) {
  // A newer build may have migrated further; an older binary must still start.
  const MigrationSource sources[] = {{"001_a.sql", "SELECT 1"}};
  const auto planned = plan_migrations(sources);
  const std::vector<AppliedMigration> applied = {{1, "001_a.sql", sha256_hex("SELECT 1")},
                                                 {2, "002_newer.sql", "ffff"}};
  EXPECT_TRUE(pending_migrations(planned, applied).empty());
}

TEST(EmbeddedMigrations, AreAValidSetStartingAtOne) {
  const Migrator migrator(embedded_migrations());
  ASSERT_FALSE(migrator.migrations().empty());
  EXPECT_EQ(migrator.migrations().front().version, 1);
  for (std::size_t i = 0; i < migrator.migrations().size(); ++i) {
    // Gaps would hint at a file lost in a merge.
    EXPECT_EQ(migrator.migrations()[i].version, static_cast<int>(i + 1))
        << migrator.migrations()[i].file_name;
  }
}

}  // namespace
}  // namespace choreo::db
