#include "db/database_url.hpp"

#include <gtest/gtest.h>

namespace choreo::db {
namespace {

TEST(DatabaseUrl, UserAndPasswordOfAUrl) {
  const auto plain = url_credentials("postgresql://payment_worker:s3cret@127.0.0.1:5432/orders");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->user, "payment_worker");
  EXPECT_EQ(plain->password, "s3cret");
  const auto encoded = url_credentials("postgres://a%40b:p%3Aw%2Fd@host/db?sslmode=disable");
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(encoded->user, "a@b");
  EXPECT_EQ(encoded->password, "p:w/d");
  const auto no_password = url_credentials("postgresql://orders@host/db");
  ASSERT_TRUE(no_password.has_value());
  EXPECT_EQ(no_password->password, "");
}

TEST(DatabaseUrl, NoCredentialsToTell) {
  EXPECT_FALSE(url_credentials("postgresql://host:5432/db").has_value());
  EXPECT_FALSE(url_credentials("host=127.0.0.1 user=x").has_value());
  EXPECT_FALSE(url_credentials("postgresql://:pw@host/db").has_value());
}

}  // namespace
}  // namespace choreo::db
