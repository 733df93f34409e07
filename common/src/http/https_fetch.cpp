#include "http/https_fetch.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "http/response_fields.hpp"

namespace choreo::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct Url {
  bool https = false;
  std::string host;  // without brackets
  std::string port;
  std::string target;
};

std::optional<Url> parse(const std::string& url) {
  Url parsed;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    parsed.https = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  parsed.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string::npos)
    return std::nullopt;
  std::string port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos)
      return std::nullopt;
    parsed.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    parsed.host = authority.substr(0, colon);
    if (colon != std::string::npos)
      port = authority.substr(colon + 1);
  }
  parsed.port = port.empty() ? (parsed.https ? "443" : "80") : port;
  if (parsed.host.empty())
    return std::nullopt;
  return parsed;
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

template <typename Stream>
FetchResponse exchange(Stream& stream, const Url& url, const FetchSettings& settings) {
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, url.target, 11};
  request.set(bhttp::field::host, url.host);
  request.set(bhttp::field::accept, "application/json");
  request.set(bhttp::field::user_agent, "choreo");
  request.set(bhttp::field::connection, "close");
  bhttp::write(stream, request);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(settings.body_limit);
  bhttp::read(stream, buffer, parser);
  const auto& response = parser.get();
  return FetchResponse{static_cast<int>(response.result_int()), response.body(),
                       fields_by_lower_case_name(response)};
}

}  // namespace

UrlSecurity url_security(const std::string& url) {
  const auto parsed = parse(url);
  if (!parsed)
    return UrlSecurity::kRefused;
  if (parsed->https)
    return UrlSecurity::kHttps;
  return is_loopback(parsed->host) ? UrlSecurity::kLoopbackHttp : UrlSecurity::kRefused;
}

FetchResponse fetch_url(const std::string& url, const FetchSettings& settings) {
  const auto parsed = parse(url);
  if (!parsed || url_security(url) == UrlSecurity::kRefused)
    throw FetchError(url + ": only https:// URLs (or http:// to a loopback address) are fetched");
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(parsed->host, parsed->port);
    if (!parsed->https) {
      beast::tcp_stream stream(io);
      stream.expires_after(settings.timeout);
      stream.connect(endpoints);
      return exchange(stream, *parsed, settings);
    }
    ssl::context context(ssl::context::tls_client);
    context.set_default_verify_paths();
    if (settings.ca_file)
      context.load_verify_file(*settings.ca_file);
    context.set_verify_mode(ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    // SNI, and the certificate must name the host.
    // SSL_set_tlsext_host_name, spelled out: the macro's C cast trips -Wold-style-cast.
    if (SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 static_cast<void*>(const_cast<char*>(parsed->host.c_str()))) != 1)
      throw FetchError(url + ": the host name is not usable for TLS");
    stream.set_verify_callback(ssl::host_name_verification(parsed->host));
    beast::get_lowest_layer(stream).expires_after(settings.timeout);
    beast::get_lowest_layer(stream).connect(endpoints);
    stream.handshake(ssl::stream_base::client);
    auto response = exchange(stream, *parsed, settings);
    beast::error_code ignored;
    stream.shutdown(ignored);  // many servers just close: the answer is complete either way
    return response;
  } catch (const FetchError&) {
    throw;
  } catch (const std::exception& failure) {
    throw FetchError(url + ": " + failure.what());
  }
}

}  // namespace choreo::http
