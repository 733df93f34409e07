#pragma once

#include <map>
#include <memory>
#include <pqxx/connection>
#include <string>

namespace choreo::ctl::inspect {

// One connection per database URL, opened on first use: services that share a database (the
// owner's DATABASE_URL) share a connection too.
class Connections {
 public:
  pqxx::connection& to(const std::string& url) {
    auto& connection = by_url_[url];
    if (!connection)
      connection = std::make_unique<pqxx::connection>(url);
    return *connection;
  }

 private:
  std::map<std::string, std::unique_ptr<pqxx::connection>> by_url_;
};

}  // namespace choreo::ctl::inspect
