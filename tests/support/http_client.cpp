#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sstream>

namespace choreo::testing {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

HttpResult http_get(const std::string& url) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0)
    return {};
  const auto rest = url.substr(prefix.size());
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  const auto target = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  const auto host = authority.substr(0, colon);
  const auto port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(resolver.resolve(host, port));
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, host);
    request.set(http::field::connection, "close");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return {static_cast<int>(response.result_int()), response.body()};
  } catch (const std::exception&) {
    return {};
  }
}

double metric_value(const std::string& metrics_text, const std::string& series) {
  std::istringstream lines(metrics_text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(series + " ", 0) == 0)
      return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

}  // namespace choreo::testing
