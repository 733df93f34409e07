#include "scratch_database.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "stack_env.hpp"

namespace choreo::testing {

namespace {

std::string random_hex(std::size_t length) {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uniform_int_distribution<int> digit(0, 15);
  std::string text;
  for (std::size_t i = 0; i < length; ++i)
    text.push_back(kHex[digit(engine)]);
  return text;
}

}  // namespace

std::string with_database(const std::string& url, const std::string& database) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos)
    return url + " dbname=" + database;
  const auto path = url.find('/', scheme + 3);
  const auto query = url.find('?', scheme + 3);
  if (path == std::string::npos || (query != std::string::npos && query < path)) {
    const auto insert_at = query == std::string::npos ? url.size() : query;
    return url.substr(0, insert_at) + "/" + database + url.substr(insert_at);
  }
  const auto name_end = query == std::string::npos ? url.size() : query;
  return url.substr(0, path + 1) + database + url.substr(name_end);
}

ScratchDatabase::ScratchDatabase()
    : admin_url_(StackEnv::current().database_url()), name_("choreo_scratch_" + random_hex(12)) {
  pqxx::connection admin(admin_url_);
  pqxx::nontransaction tx(admin);  // CREATE DATABASE cannot run inside a transaction
  tx.exec("CREATE DATABASE " + tx.quote_name(name_));
}

ScratchDatabase::~ScratchDatabase() {
  // A plain DROP also stops an autovacuum worker busy in the new database (WITH (FORCE) would
  // need the right to signal it, which a non-superuser lacks). Sessions of this test may take a
  // moment to end after their connections close, hence the retries.
  std::string last_error;
  for (int attempt = 0; attempt < 40; ++attempt) {
    try {
      pqxx::connection admin(admin_url_);
      pqxx::nontransaction tx(admin);
      tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_));
      return;
    } catch (const std::exception& error) {
      last_error = error.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ADD_FAILURE() << "could not drop " << name_ << ": " << last_error;
}

std::string ScratchDatabase::url() const {
  return with_database(admin_url_, name_);
}

std::string ScratchDatabase::url_as(const std::string& other) const {
  return with_database(other, name_);
}

}  // namespace choreo::testing
