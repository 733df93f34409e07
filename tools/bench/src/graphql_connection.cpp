#include "graphql_connection.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>
#include <stdexcept>

namespace choreo::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

}  // namespace

GraphqlEndpoint resolve_graphql_endpoint(std::string_view url, const std::string& token) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme)
    throw std::invalid_argument("GRAPHQL_URL must be http://HOST:PORT/PATH");
  auto rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    throw std::invalid_argument("GRAPHQL_URL must name a port: http://HOST:PORT/PATH");
  const auto host = std::string(authority.substr(0, colon));
  const auto port_text = authority.substr(colon + 1);
  unsigned short port = 0;
  if (std::from_chars(port_text.data(), port_text.data() + port_text.size(), port).ec !=
          std::errc() ||
      port == 0) {
    throw std::invalid_argument("GRAPHQL_URL has a bad port");
  }
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, std::to_string(port));
  if (results.empty())
    throw std::invalid_argument("GRAPHQL_URL: cannot resolve " + host);
  GraphqlEndpoint endpoint;
  endpoint.address = results.begin()->endpoint();
  endpoint.host_header = std::string(authority);
  endpoint.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  endpoint.authorization = "Bearer " + token;
  return endpoint;
}

struct GraphqlConnection::State {
  State(asio::io_context& io, const GraphqlEndpoint& where, std::chrono::milliseconds limit)
      : endpoint(where), timeout(limit), stream(io) {
    request.method(http::verb::post);
    request.target(endpoint.target);
    request.version(11);
    request.keep_alive(true);
    request.set(http::field::host, endpoint.host_header);
    request.set(http::field::content_type, "application/json");
    request.set(http::field::accept, "application/json");
    request.set(http::field::authorization, endpoint.authorization);
  }

  void close() {
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream.close();
    connected = false;
    buffer.clear();
  }

  const GraphqlEndpoint& endpoint;
  std::chrono::milliseconds timeout;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  bool connected = false;
};

GraphqlConnection::GraphqlConnection(asio::io_context& io, const GraphqlEndpoint& endpoint,
                                     std::chrono::milliseconds timeout)
    : state_(std::make_unique<State>(io, endpoint, timeout)) {}

GraphqlConnection::~GraphqlConnection() = default;

asio::awaitable<HttpReply> GraphqlConnection::post(std::string body) {
  auto& state = *state_;
  for (int attempt = 1;; ++attempt) {
    const bool reused = state.connected;
    beast::error_code ec;
    state.stream.expires_after(state.timeout);
    if (!state.connected) {
      co_await state.stream.async_connect(state.endpoint.address,
                                          asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        state.close();
        throw beast::system_error(ec);
      }
      state.stream.socket().set_option(asio::ip::tcp::no_delay(true));
      state.connected = true;
    }
    state.request.body() = body;
    state.request.prepare_payload();
    co_await http::async_write(state.stream, state.request,
                               asio::redirect_error(asio::use_awaitable, ec));
    http::response<http::string_body> response;
    if (!ec) {
      co_await http::async_read(state.stream, state.buffer, response,
                                asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      state.close();
      // The server may close an idle kept-alive connection just as we reuse it.
      if (reused && attempt == 1)
        continue;
      throw beast::system_error(ec);
    }
    if (!response.keep_alive())
      state.close();
    co_return HttpReply{response.result_int(), std::move(response.body())};
  }
}

}  // namespace choreo::bench
