#pragma once

#include <map>
#include <string>

namespace choreo::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// A blocking HTTP/1.1 request to http://host:port/path?query with the given header fields.
// Returns status 0 when the connection fails.
HttpResult http_request(const std::string& method, const std::string& url,
                        const std::map<std::string, std::string>& fields = {},
                        const std::string& body = {});

// A blocking HTTP/1.1 GET of http://host:port/path, for probing a service's endpoints.
// Returns status 0 when the connection fails.
HttpResult http_get(const std::string& url);

// The value of one Prometheus series in a /metrics text (first match of the full series text,
// e.g. `choreo_consumer_events_total{consumer="x",outcome="duplicate"}`), or -1 when absent.
double metric_value(const std::string& metrics_text, const std::string& series);

}  // namespace choreo::testing
