#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Plain request/response values shared by the router, the handlers and the transport. They hold
// no Beast or Asio types so that handler code compiles without those heavy headers.
namespace choreo::http {

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // path plus query, as sent
  std::string path;    // target before '?', not percent-decoded
  std::string query;   // target after '?', without the '?'
  // Lower-case names; repeated fields are joined with ", " as RFC 9110 allows.
  std::map<std::string, std::string> headers;
  std::string body;

  // The value of a header (any case), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Extra fields; Content-Type, Content-Length and Connection are set by the transport.
  std::vector<std::pair<std::string, std::string>> headers;

  static HttpResponse text(int status, std::string body);
  static HttpResponse json(int status, std::string body);

  // Appends a field; chains on temporaries too: HttpResponse::text(...).with_header(...).
  HttpResponse& with_header(std::string name, std::string value) &;
  HttpResponse&& with_header(std::string name, std::string value) &&;
};

// "abc" -> "abc", "Content-Type" -> "content-type" (ASCII only, as header names are).
std::string to_lower_ascii(std::string_view text);

// A header value or list element without the spaces and tabs around it (RFC 9110's OWS).
std::string_view trim_field_whitespace(std::string_view text);

}  // namespace choreo::http
