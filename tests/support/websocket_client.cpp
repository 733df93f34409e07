#include "websocket_client.hpp"

// Before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

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

struct WebSocketFleet::Impl {
  // One connection; everything but `index` is used on its strand only.
  struct Connection {
    Connection(std::size_t i, const asio::any_io_executor& executor) : index(i), ws(executor) {}

    const std::size_t index;
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    std::deque<std::string> outbox;
    bool writing = false;
    bool ended = false;
    bool closing = false;  // close_all() asked: the writer sends a close frame once idle
  };

  Impl(std::string url_text, Options fleet_options, OnMessage handler)
      : url(std::move(url_text)),
        options(std::move(fleet_options)),
        on_message(std::move(handler)) {
    endpoint = parse_url(url);
    tcp::resolver resolver(io);
    address = resolver.resolve(endpoint.host, endpoint.port).begin()->endpoint();
    for (int i = 0; i < std::max(1, options.threads); ++i)
      threads.emplace_back([this] { io.run(); });
  }

  ~Impl() {
    stopping = true;
    for (const auto& connection : connections)
      asio::post(connection->ws.get_executor(), [connection] { cut(*connection); });
    work.reset();  // io.run() returns once every connection's operations have ended
    for (auto& thread : threads)
      thread.join();
  }

  static void cut(Connection& connection) {
    error_code ignored;
    beast::get_lowest_layer(connection.ws).socket().close(ignored);
  }

  void fail(std::size_t index, const std::string& what) {
    std::lock_guard lock(mutex);
    failures.push_back("connection " + std::to_string(index) + ": " + what);
  }

  // Starts opening the next connection, if any is left.
  void launch_next() {
    std::shared_ptr<Connection> connection;
    {
      std::lock_guard lock(mutex);
      if (stopping || next_to_open >= connections.size())
        return;
      connection = connections[next_to_open++];
    }
    asio::co_spawn(
        connection->ws.get_executor(), [this, connection] { return run(connection); },
        asio::detached);
  }

  asio::awaitable<void> run(std::shared_ptr<Connection> connection) {
    auto& ws = connection->ws;
    auto& stream = beast::get_lowest_layer(ws);
    error_code ec;
    stream.expires_after(options.handshake_timeout);
    co_await stream.async_connect(address, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !stopping) {
      ws.set_option(websocket::stream_base::decorator(
          [protocol = options.subprotocol](websocket::request_type& request) {
            if (!protocol.empty())
              request.set(beast::http::field::sec_websocket_protocol, protocol);
          }));
      co_await ws.async_handshake(endpoint.host + ":" + endpoint.port, endpoint.target,
                                  asio::redirect_error(asio::use_awaitable, ec));
    }
    stream.expires_never();
    const bool opened = !ec && !stopping;
    if (ec)
      fail(connection->index, "handshake: " + ec.message());
    {
      std::lock_guard lock(mutex);
      ++settled;
      if (opened) {
        ++opened_total;
        ++open_now;
      }
    }
    changed.notify_all();
    launch_next();
    if (!opened)
      co_return;

    ws.text(true);
    enqueue(connection, first_message(connection->index));
    while (!stopping) {
      co_await ws.async_read(connection->buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec)
        break;
      const auto received = Clock::now();
      std::string text = beast::buffers_to_string(connection->buffer.data());
      connection->buffer.consume(connection->buffer.size());
      try {
        on_message(connection->index, std::move(text), received);
      } catch (const std::exception& error) {
        fail(connection->index, std::string("message handler: ") + error.what());
      }
    }
    connection->ended = true;
    connection->outbox.clear();
    bool clean = false;
    if (connection->closing) {
      // The read pending when our close went out ends with the server's answer to it.
      clean = ec == websocket::error::closed || ec == asio::error::operation_aborted;
      if (!clean)
        fail(connection->index, "close: " + ec.message());
    } else if (ec == websocket::error::closed) {
      fail(connection->index, "closed by the server: " + std::to_string(ws.reason().code) + " " +
                                  std::string(ws.reason().reason.c_str()));
    } else if (ec && !stopping) {
      fail(connection->index, "read: " + ec.message());
    }
    {
      std::lock_guard lock(mutex);
      --open_now;
      if (clean)
        ++closed_cleanly;
    }
    changed.notify_all();
  }

  // On the connection's strand.
  void enqueue(const std::shared_ptr<Connection>& connection, std::string text) {
    if (connection->ended || connection->closing)
      return;
    connection->outbox.push_back(std::move(text));
    start_writer(connection);
  }

  void start_writer(const std::shared_ptr<Connection>& connection) {
    if (connection->writing)
      return;
    connection->writing = true;
    asio::co_spawn(
        connection->ws.get_executor(), [this, connection] { return write_loop(connection); },
        asio::detached);
  }

  asio::awaitable<void> write_loop(std::shared_ptr<Connection> connection) {
    error_code ec;
    while (!connection->ended && !stopping) {
      if (!connection->outbox.empty()) {
        const std::string message = std::move(connection->outbox.front());
        connection->outbox.pop_front();
        co_await connection->ws.async_write(asio::buffer(message),
                                            asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
          break;
        continue;
      }
      if (connection->closing) {
        co_await connection->ws.async_close(websocket::close_code::normal,
                                            asio::redirect_error(asio::use_awaitable, ec));
      }
      break;
    }
    connection->writing = false;
  }

  const std::string url;
  const Options options;
  const OnMessage on_message;
  Endpoint endpoint;
  tcp::endpoint address;
  FirstMessage first_message;

  asio::io_context io;
  std::vector<std::shared_ptr<Connection>> connections;  // fixed once open() has begun
  std::atomic<bool> stopping{false};

  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next_to_open = 0;
  std::size_t settled = 0;  // handshakes completed or failed
  std::size_t opened_total = 0;
  std::size_t open_now = 0;
  std::size_t closed_cleanly = 0;
  std::vector<std::string> failures;

  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::vector<std::thread> threads;  // last: they use everything above
};

WebSocketFleet::WebSocketFleet(std::string url, Options options, OnMessage on_message)
    : impl_(std::make_unique<Impl>(std::move(url), std::move(options), std::move(on_message))) {}

WebSocketFleet::~WebSocketFleet() = default;

std::size_t WebSocketFleet::open(std::size_t count, FirstMessage first_message,
                                 std::chrono::milliseconds deadline) {
  auto& impl = *impl_;
  {
    std::lock_guard lock(impl.mutex);
    if (!impl.connections.empty())
      throw std::logic_error("WebSocketFleet::open called twice");
    impl.first_message = std::move(first_message);
    impl.connections.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      impl.connections.push_back(std::make_shared<Impl::Connection>(i, asio::make_strand(impl.io)));
    }
  }
  for (std::size_t i = 0; i < std::max<std::size_t>(1, impl.options.max_opening); ++i)
    impl.launch_next();
  std::unique_lock lock(impl.mutex);
  impl.changed.wait_for(lock, deadline, [&impl, count] { return impl.settled == count; });
  return impl.opened_total;
}

void WebSocketFleet::send(std::size_t connection, std::string text) {
  auto& impl = *impl_;
  const auto target = impl.connections.at(connection);
  asio::post(target->ws.get_executor(), [&impl, target, text = std::move(text)]() mutable {
    impl.enqueue(target, std::move(text));
  });
}

std::size_t WebSocketFleet::open_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->open_now;
}

std::vector<std::string> WebSocketFleet::failures() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->failures;
}

std::size_t WebSocketFleet::close_all(std::chrono::milliseconds deadline) {
  auto& impl = *impl_;
  for (const auto& connection : impl.connections) {
    asio::post(connection->ws.get_executor(), [&impl, connection] {
      if (connection->ended || connection->closing)
        return;
      connection->closing = true;
      impl.start_writer(connection);
    });
  }
  std::unique_lock lock(impl.mutex);
  impl.changed.wait_for(lock, deadline, [&impl] { return impl.open_now == 0; });
  const std::size_t clean = impl.closed_cleanly;
  lock.unlock();
  for (const auto& connection : impl.connections)
    asio::post(connection->ws.get_executor(), [connection] { Impl::cut(*connection); });
  return clean;
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
