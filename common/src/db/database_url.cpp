#include "db/database_url.hpp"

#include "http/percent_decoding.hpp"

namespace choreo::db {

std::optional<UrlCredentials> url_credentials(const std::string& url) {
  std::size_t start = 0;
  for (const char* scheme : {"postgresql://", "postgres://"}) {
    const std::string prefix(scheme);
    if (url.rfind(prefix, 0) == 0) {
      start = prefix.size();
      break;
    }
  }
  if (start == 0)
    return std::nullopt;
  const auto authority_end = url.find_first_of("/?", start);
  const auto authority = url.substr(
      start, authority_end == std::string::npos ? std::string::npos : authority_end - start);
  const auto at = authority.rfind('@');
  if (at == std::string::npos || at == 0)
    return std::nullopt;
  const auto userinfo = authority.substr(0, at);
  const auto colon = userinfo.find(':');
  const auto user = http::percent_decoded(userinfo.substr(0, colon), http::PlusSign::kLiteral);
  const auto password =
      colon == std::string::npos
          ? std::optional<std::string>("")
          : http::percent_decoded(userinfo.substr(colon + 1), http::PlusSign::kLiteral);
  if (!user || user->empty() || !password)
    return std::nullopt;  // no user, or a malformed escape (which libpq refuses too)
  return UrlCredentials{*user, *password};
}

}  // namespace choreo::db
