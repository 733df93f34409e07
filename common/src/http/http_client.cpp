#include "http/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/response_fields.hpp"

namespace choreo::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;

struct Target {
  std::string host;
  std::string port;
  std::string path;
};

bool parse_url(const std::string& url, Target& target) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0)
    return false;
  const auto rest = url.substr(prefix.size());
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  target.path = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  target.host = authority.substr(0, colon);
  target.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  return !target.host.empty();
}

}  // namespace

HttpResponse http_get(const std::string& url, std::chrono::milliseconds timeout) {
  return http_request("GET", url, {}, {}, timeout);
}

HttpResponse http_request(const std::string& method, const std::string& url,
                          const std::map<std::string, std::string>& fields, const std::string& body,
                          std::chrono::milliseconds timeout) {
  Target target;
  if (!parse_url(url, target))
    return {};
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(resolver.resolve(target.host, target.port));
    bhttp::request<bhttp::string_body> request;
    request.method_string(method);
    request.target(target.path);
    request.version(11);
    request.set(bhttp::field::host, target.host);
    request.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : fields) {
      request.set(name, value);
    }
    if (!body.empty() || method == "POST") {
      request.body() = body;
      request.prepare_payload();
    }
    bhttp::write(stream, request);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    bhttp::read(stream, buffer, parser);
    const auto& response = parser.get();
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return HttpResponse{static_cast<int>(response.result_int()), response.body(),
                        fields_by_lower_case_name(response)};
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace choreo::http
