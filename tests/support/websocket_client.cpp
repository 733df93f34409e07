#include "websocket_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>

namespace choreo::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

struct Endpoint {
  std::string host;
  std::string port;
  std::string target;
};

Endpoint parse_url(const std::string& url) {
  for (const std::string prefix : {"http://", "ws://"}) {
    if (url.rfind(prefix, 0) != 0)
      continue;
    const auto rest = url.substr(prefix.size());
    const auto slash = rest.find('/');
    const auto authority = rest.substr(0, slash);
    const auto colon = authority.rfind(':');
    return {authority.substr(0, colon),
            colon == std::string::npos ? "80" : authority.substr(colon + 1),
            slash == std::string::npos ? "/" : rest.substr(slash)};
  }
  throw std::invalid_argument("not an http:// or ws:// URL: " + url);
}

}  // namespace

struct WebSocketClient::Impl {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;
  std::string subprotocol;
  int handshake_status = 0;

  bool reading = false;
  bool read_done = false;
  error_code read_error;

  bool closed = false;
  int close_code = 0;
  std::string close_reason;

  // Runs the I/O until `done` holds or the deadline passes.
  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds deadline) {
    const auto end = Clock::now() + deadline;
    io.restart();
    while (!done() && Clock::now() < end) {
      io.run_one_until(end);
      if (io.stopped())
        io.restart();
    }
    return done();
  }

  // Starts one operation and waits for it (the pending read, if any, progresses meanwhile).
  template <typename Start>
  error_code run_operation(Start start, std::chrono::milliseconds deadline, const char* what) {
    bool done = false;
    error_code result;
    start([&](error_code ec, auto&&...) {
      result = ec;
      done = true;
    });
    if (!run_until([&] { return done; }, deadline)) {
      beast::get_lowest_layer(ws).close();
      run_until([&] { return done; }, std::chrono::seconds(1));
      throw std::runtime_error(std::string("websocket client: ") + what + " timed out");
    }
    return result;
  }

  void connect(const std::string& url, const Options& options) {
    const auto endpoint = parse_url(url);
    tcp::resolver resolver(io);
    const auto addresses = resolver.resolve(endpoint.host, endpoint.port);
    auto& socket = beast::get_lowest_layer(ws).socket();
    socket.open(addresses.begin()->endpoint().protocol());
    if (options.receive_buffer_bytes > 0)
      socket.set_option(asio::socket_base::receive_buffer_size(options.receive_buffer_bytes));
    auto ec = run_operation(
        [&](auto handler) {
          beast::get_lowest_layer(ws).async_connect(addresses.begin()->endpoint(), handler);
        },
        options.connect_timeout, "connect");
    if (ec)
      throw std::runtime_error("websocket client: connect failed: " + ec.message());
    ws.set_option(websocket::stream_base::decorator(
        [protocol = options.subprotocol](websocket::request_type& request) {
          if (!protocol.empty())
            request.set(beast::http::field::sec_websocket_protocol, protocol);
        }));
    websocket::response_type response;
    ec = run_operation(
        [&](auto handler) {
          ws.async_handshake(response, endpoint.host + ":" + endpoint.port, endpoint.target,
                             handler);
        },
        options.connect_timeout, "handshake");
    handshake_status = static_cast<int>(response.result_int());
    if (ec) {
      throw std::runtime_error("websocket client: handshake failed (HTTP " +
                               std::to_string(handshake_status) + "): " + ec.message());
    }
    subprotocol = std::string(response[beast::http::field::sec_websocket_protocol]);
  }
};

WebSocketClient::WebSocketClient(const std::string& url, Options options)
    : impl_(std::make_unique<Impl>()) {
  impl_->connect(url, options);
}

WebSocketClient::~WebSocketClient() {
  error_code ignored;
  beast::get_lowest_layer(impl_->ws).socket().close(ignored);
}

int WebSocketClient::handshake_status(const std::string& url, Options options) {
  Impl impl;
  try {
    impl.connect(url, options);
  } catch (const std::runtime_error&) {
  }
  return impl.handshake_status;
}

const std::string& WebSocketClient::subprotocol() const {
  return impl_->subprotocol;
}

void WebSocketClient::send(const std::string& text) {
  impl_->ws.text(true);
  const auto ec = impl_->run_operation(
      [&](auto handler) { impl_->ws.async_write(asio::buffer(text), handler); },
      std::chrono::seconds(5), "write");
  if (ec)
    throw std::runtime_error("websocket client: write failed: " + ec.message());
}

void WebSocketClient::send_binary(const std::string& bytes) {
  impl_->ws.binary(true);
  const auto ec = impl_->run_operation(
      [&](auto handler) { impl_->ws.async_write(asio::buffer(bytes), handler); },
      std::chrono::seconds(5), "write");
  impl_->ws.text(true);
  if (ec)
    throw std::runtime_error("websocket client: write failed: " + ec.message());
}

std::optional<std::string> WebSocketClient::receive(std::chrono::milliseconds deadline) {
  auto& impl = *impl_;
  if (impl.closed)
    return std::nullopt;
  if (!impl.reading) {
    impl.reading = true;
    impl.read_done = false;
    impl.ws.async_read(impl.buffer, [&impl](error_code ec, std::size_t) {
      impl.read_error = ec;
      impl.read_done = true;
    });
  }
  if (!impl.run_until([&impl] { return impl.read_done; }, deadline))
    return std::nullopt;
  impl.reading = false;
  if (impl.read_error) {
    impl.closed = true;
    if (impl.read_error == websocket::error::closed) {
      impl.close_code = impl.ws.reason().code;
      impl.close_reason =
          std::string(impl.ws.reason().reason.data(), impl.ws.reason().reason.size());
    } else {
      impl.close_code = 1006;  // abnormal: no close frame
      impl.close_reason = impl.read_error.message();
    }
    return std::nullopt;
  }
  auto text = beast::buffers_to_string(impl.buffer.data());
  impl.buffer.consume(impl.buffer.size());
  return text;
}

std::optional<nlohmann::json> WebSocketClient::receive_json(std::chrono::milliseconds deadline) {
  auto text = receive(deadline);
  if (!text)
    return std::nullopt;
  return nlohmann::json::parse(*text);
}

int WebSocketClient::await_close(std::chrono::milliseconds deadline) {
  const auto end = Clock::now() + deadline;
  while (!impl_->closed) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    if (left.count() <= 0)
      return -1;
    receive(left);
  }
  return impl_->close_code;
}

bool WebSocketClient::closed() const {
  return impl_->closed;
}

int WebSocketClient::close_code() const {
  return impl_->close_code;
}

const std::string& WebSocketClient::close_reason() const {
  return impl_->close_reason;
}

void WebSocketClient::close() {
  if (impl_->closed)
    return;
  bool done = false;
  impl_->ws.async_close(websocket::close_code::normal, [&done](error_code) { done = true; });
  impl_->run_until([&] { return done || impl_->read_done; }, std::chrono::seconds(2));
  impl_->closed = true;
}

nlohmann::json connection_init(const std::string& token) {
  return {{"type", "connection_init"}, {"payload", {{"Authorization", "Bearer " + token}}}};
}

nlohmann::json subscribe_message(const std::string& id, const std::string& query,
                                 const nlohmann::json& variables) {
  nlohmann::json payload = {{"query", query}};
  if (!variables.is_null())
    payload["variables"] = variables;
  return {{"id", id}, {"type", "subscribe"}, {"payload", payload}};
}

}  // namespace choreo::testing
