#pragma once

#include <chrono>
#include <map>
#include <string>

namespace choreo::http {

struct HttpResponse {
  int status = 0;  // 0: no answer (refused, timed out, not HTTP)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// A blocking HTTP/1.1 request to http://host:port/path?query, one connection per call. For the
// few places that ask another process something (a container's health check, the operator's
// CLI, tests); the services' own traffic never goes through it.
HttpResponse http_request(const std::string& method, const std::string& url,
                          const std::map<std::string, std::string>& fields = {},
                          const std::string& body = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

HttpResponse http_get(const std::string& url,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace choreo::http
