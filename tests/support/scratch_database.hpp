#pragma once

#include <string>

namespace choreo::testing {

// A database of its own on the test stack's server, created by the stack's owning role and
// dropped at the end of the test, for a test that migrates or populates a schema from scratch.
class ScratchDatabase {
 public:
  ScratchDatabase();
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& name() const { return name_; }
  // The owner's URL of this database.
  std::string url() const;
  // `other`'s credentials (a service role's URL, say) on this database.
  std::string url_as(const std::string& other) const;

 private:
  std::string admin_url_;
  std::string name_;
};

// The same server and credentials as `url`, another database. Handles URLs
// (postgresql://user:pw@host:port/db?opts) and keyword strings (host=... dbname=...).
std::string with_database(const std::string& url, const std::string& database);

}  // namespace choreo::testing
