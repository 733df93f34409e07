#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include <map>

namespace choreo::http {

// An answer to fetch_url (named apart from the server's HttpResponse and http_client's, which
// headers that include both would otherwise see twice).
struct FetchResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

struct FetchSettings {
  // Trusted besides the system's CA store (/etc/ssl/certs): a private issuer's CA, PEM.
  std::optional<std::string> ca_file;
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
  std::size_t body_limit = 1 << 20;
};

// Why a fetch did not answer; what() names the URL and the cause (TLS, DNS, refused, timeout).
class FetchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// GET `url`: https:// with the certificate verified against the CA store (and the CA file) and
// the host name checked; http:// only for a loopback host (127.0.0.1, localhost, [::1]), since
// keys fetched in the clear could be anyone's. Any HTTP status is an answer; FetchError when
// there is none.
FetchResponse fetch_url(const std::string& url, const FetchSettings& settings);

// Whether `url` is http:// to a loopback host (allowed, with a warning), https:// (allowed), or
// neither.
enum class UrlSecurity { kHttps, kLoopbackHttp, kRefused };
UrlSecurity url_security(const std::string& url);

}  // namespace choreo::http
