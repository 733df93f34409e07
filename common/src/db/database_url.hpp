#pragma once

#include <optional>
#include <string>

namespace choreo::db {

// The user and password a libpq URL (postgresql://user:password@host:port/database) carries,
// percent-decoded; nullopt for a URL without a user, or a keyword/value connection string.
struct UrlCredentials {
  std::string user;
  std::string password;  // empty when the URL has none
};
std::optional<UrlCredentials> url_credentials(const std::string& url);

}  // namespace choreo::db
