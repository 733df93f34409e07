#pragma once

#include <map>
#include <memory>
#include <pqxx/connection>
#include <string>

namespace choreo::db {

// One connection per database URL, opened on first use: services that share a database (the
// owner's DATABASE_URL) share a connection too.
class ConnectionsByUrl {
 public:
  pqxx::connection& to(const std::string& url) {
    auto& connection = by_url_[url];
    if (!connection)
      connection = std::make_unique<pqxx::connection>(url);
    return *connection;
  }
  // Drops the connection to `url` (after a failure); the next to() opens a new one.
  void forget(const std::string& url) { by_url_.erase(url); }

 private:
  std::map<std::string, std::unique_ptr<pqxx::connection>> by_url_;
};

}  // namespace choreo::db
