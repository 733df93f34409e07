#include "http/http_server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http/websocket_session.hpp"

namespace choreo::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;  // "http" alone is this namespace
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto kAwait = asio::use_awaitable;
// A request whose answer is an error (413, 400...) leaves unread bytes behind; closing at once
// would turn them into a TCP reset that can destroy the answer before the client reads it, so the
// rest is read and dropped first, within these bounds.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerBytes = std::size_t{8} << 20;
// Bytes asked for while waiting for the next request on a kept-alive connection.
constexpr std::size_t kFirstReadSize = 4096;
// Pause after a failed accept (typically out of file descriptors) instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryPause{100};

// Beast 1.74 speaks boost::string_view.
std::string_view std_view(beast::string_view text) {
  return {text.data(), text.size()};
}

std::string endpoint_text(const std::string& host, std::uint16_t port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// A live connection. The stream and `idle` are touched only on the connection's strand.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}

  beast::tcp_stream stream;
  // True while waiting for a new request (or dropping leftovers): safe to cut during stop().
  bool idle = false;
  // Set once the connection was upgraded; stop() asks it to say goodbye and close with 1001.
  std::weak_ptr<WebSocketSession> websocket;
};

// Which connections are open, so that stop() can close idle ones and wait for busy ones.
class ConnectionTracker {
 public:
  enum class Admission { admitted, closing, full };

  Admission admit(const std::shared_ptr<Connection>& connection, std::size_t max_connections) {
    std::lock_guard lock(mutex_);
    if (closing_.load()) {
      return Admission::closing;
    }
    if (live_.size() >= max_connections) {
      return Admission::full;
    }
    live_.emplace(connection.get(), connection);
    return Admission::admitted;
  }

  // Called when the connection's session ends.
  void release(const Connection* connection) {
    std::lock_guard lock(mutex_);
    live_.erase(connection);
    if (live_.empty()) {
      drained_.notify_all();
    }
  }

  // Refuses new connections from now on; returns the open ones. Weak, because a reference held
  // by stop() would keep a finished session's socket open.
  std::vector<std::weak_ptr<Connection>> close() {
    std::lock_guard lock(mutex_);
    closing_.store(true);
    std::vector<std::weak_ptr<Connection>> open;
    for (const auto& entry : live_) {
      open.push_back(entry.second);
    }
    return open;
  }

  // Connections whose sessions have not ended (only meaningful once the I/O threads are gone).
  std::vector<std::shared_ptr<Connection>> remaining() {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<Connection>> open;
    for (const auto& entry : live_) {
      if (auto connection = entry.second.lock()) {
        open.push_back(std::move(connection));
      }
    }
    return open;
  }

  bool closing() const { return closing_.load(); }

  // True if every connection ended within the timeout; otherwise how many are left.
  std::size_t wait_drained(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    drained_.wait_for(lock, timeout, [this] { return live_.empty(); });
    return live_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable drained_;
  std::atomic<bool> closing_{false};
  std::map<const Connection*, std::weak_ptr<Connection>> live_;
};

// Releases the tracker entry however the session coroutine ends (even if the io_context is
// destroyed with the coroutine suspended).
class TrackerRelease {
 public:
  TrackerRelease(ConnectionTracker& tracker, const Connection* connection)
      : tracker_(tracker), connection_(connection) {}
  ~TrackerRelease() { tracker_.release(connection_); }
  TrackerRelease(const TrackerRelease&) = delete;
  TrackerRelease& operator=(const TrackerRelease&) = delete;

 private:
  ConnectionTracker& tracker_;
  const Connection* connection_;
};

// The status to answer a request that could not be read, or nullopt to just close (the client
// went away, timed out, or the server is stopping).
std::optional<int> status_for_read_error(const error_code& ec) {
  if (ec == bhttp::error::body_limit) {
    return 413;
  }
  if (ec == bhttp::error::header_limit) {
    return 431;
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    return std::nullopt;
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return 400;  // malformed request line, field, chunk or length
  }
  return std::nullopt;
}

HttpRequest to_request(bhttp::request<bhttp::string_body>&& message) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) {
    request.query = request.target.substr(question + 1);
  }
  for (const auto& field : message) {
    auto [entry, inserted] = request.headers.emplace(to_lower_ascii(std_view(field.name_string())),
                                                     std::string(field.value()));
    if (!inserted) {
      entry->second += ", ";
      entry->second.append(field.value().data(), field.value().size());
    }
  }
  request.body = std::move(message.body());
  return request;
}

// Fields the transport owns: a handler setting them would corrupt the framing.
bool is_framing_field(const std::string& name) {
  const auto lower = to_lower_ascii(name);
  return lower == "content-length" || lower == "transfer-encoding" || lower == "connection";
}

bool is_safe_field(const std::string& name, const std::string& value) {
  const auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && std::none_of(name.begin(), name.end(), bad) &&
         std::none_of(value.begin(), value.end(), bad) && name.find(':') == std::string::npos;
}

bhttp::response<bhttp::string_body> to_message(HttpResponse&& response, unsigned version, bool head,
                                               bool keep_alive) {
  if (response.status < 100 || response.status > 599) {
    spdlog::error("http handler returned invalid status {}; sending 500", response.status);
    response = HttpResponse::text(500, "internal server error\n");
  }
  bhttp::response<bhttp::string_body> message;
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  if (!response.content_type.empty()) {
    message.set(bhttp::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) {
    if (is_framing_field(name) || !is_safe_field(name, value)) {
      spdlog::warn("http handler set field '{}', which the server does not send", name);
      continue;
    }
    message.insert(name, value);
  }
  const int status = response.status;
  const bool bodiless_status = status < 200 || status == 204 || status == 304;
  if (bodiless_status) {
    message.prepare_payload();
  } else if (head) {
    // A HEAD answer announces the length the GET body would have, and sends no body.
    message.content_length(response.body.size());
  } else {
    message.body() = std::move(response.body);
    message.prepare_payload();
  }
  message.keep_alive(keep_alive);
  return message;
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerSettings s, const Router& r)
      : settings(std::move(s)),
        router(r),
        workers(static_cast<std::size_t>(std::max(1, settings.worker_threads))),
        io(std::max(1, settings.threads)) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  asio::awaitable<void> serve_requests(Connection& connection);
  asio::awaitable<void> serve_websocket(Connection& connection, const WebSocketRoute& route,
                                        bhttp::request<bhttp::string_body> upgrade);
  asio::awaitable<void> reject_and_linger(Connection& connection, beast::flat_buffer& buffer,
                                          int status, unsigned version);
  HttpResponse respond(const HttpRequest& request) const;
  asio::awaitable<HttpResponse> respond_on_worker(const HttpRequest& request);
  void bind();
  void run_io();

  const HttpServerSettings settings;
  const Router& router;
  // Declared before the io_context: suspended sessions destroyed with it still release here.
  ConnectionTracker tracker;
  std::mutex lifecycle_mutex;
  bool started = false;
  bool stopped = false;
  std::atomic<std::uint16_t> bound_port{0};
  // Declared before the io_context, so it outlives every session that might await it.
  asio::thread_pool workers;
  asio::io_context io;
  asio::strand<asio::io_context::executor_type> accept_strand{io.get_executor()};
  tcp::acceptor acceptor{accept_strand};
  std::vector<std::thread> threads;
};

void HttpServer::Impl::bind() {
  const auto where = endpoint_text(settings.host, settings.port);
  const auto fail = [&where](const error_code& ec) {
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  };
  error_code ec;
  tcp::resolver resolver(io);
  const auto endpoints =
      resolver.resolve(settings.host, std::to_string(settings.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) {
    fail(ec);
  }
  if (endpoints.empty()) {
    fail(asio::error::host_not_found);
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    fail(ec);
  }
  // Lets a restarted service bind while old connections sit in TIME_WAIT; on Linux it does not
  // allow two live listeners on one port.
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    fail(ec);
  }
  if (acceptor.bind(endpoint, ec); ec) {
    fail(ec);
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    fail(ec);
  }
  bound_port.store(acceptor.local_endpoint().port());
}

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  for (;;) {
    error_code ec;
    // Each connection gets its own strand, so that stop() can post to it from another thread.
    tcp::socket socket = co_await acceptor.async_accept(
        asio::any_io_executor(asio::make_strand(io)), asio::redirect_error(kAwait, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
        co_return;
      }
      spdlog::warn("http server: accept failed: {}", ec.message());
      asio::steady_timer pause(accept_strand, kAcceptRetryPause);
      co_await pause.async_wait(asio::redirect_error(kAwait, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto connection = std::make_shared<Connection>(std::move(socket));
    switch (tracker.admit(connection, settings.max_connections)) {
      case ConnectionTracker::Admission::closing:
        co_return;
      case ConnectionTracker::Admission::full:
        spdlog::warn("http server: {} connections open; closing a new one",
                     settings.max_connections);
        continue;
      case ConnectionTracker::Admission::admitted:
        asio::co_spawn(connection->stream.get_executor(), serve(connection), asio::detached);
        break;
    }
  }
}

asio::awaitable<void> HttpServer::Impl::serve(std::shared_ptr<Connection> connection) {
  TrackerRelease release(tracker, connection.get());
  try {
    co_await serve_requests(*connection);
  } catch (const std::exception& error) {
    spdlog::error("http session failed: {}", error.what());
  }
}

HttpResponse HttpServer::Impl::respond(const HttpRequest& request) const {
  try {
    return router.handle(request);
  } catch (const std::exception& error) {
    // Router::handle already contains handler failures; this is e.g. bad_alloc.
    spdlog::error("http {} {} failed: {}", request.method, request.path, error.what());
  }
  return HttpResponse::text(500, "internal server error\n");
}

asio::awaitable<HttpResponse> HttpServer::Impl::respond_on_worker(const HttpRequest& request) {
  // The session resumes on its own strand when the worker is done (use_awaitable binds the
  // completion to the awaiting coroutine's executor).
  co_return co_await asio::co_spawn(
      workers, [this, &request]() -> asio::awaitable<HttpResponse> { co_return respond(request); },
      kAwait);
}

asio::awaitable<void> HttpServer::Impl::serve_requests(Connection& connection) {
  auto& stream = connection.stream;
  beast::flat_buffer buffer;
  error_code ec;
  for (;;) {
    if (tracker.closing()) {
      co_return;
    }
    if (buffer.size() == 0) {
      // Between requests the connection is idle: a different (longer) timeout applies, and
      // stop() may cut it.
      connection.idle = true;
      stream.expires_after(settings.idle_timeout);
      const std::size_t n = co_await stream.async_read_some(buffer.prepare(kFirstReadSize),
                                                            asio::redirect_error(kAwait, ec));
      connection.idle = false;
      if (ec) {
        co_return;  // closed by the client, idle too long, or stopping
      }
      buffer.commit(n);
    }

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(settings.header_limit));
    parser.body_limit(settings.body_limit);
    stream.expires_after(settings.read_timeout);
    co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(kAwait, ec));
    if (!ec && !parser.is_done()) {
      const auto expect = parser.get()[bhttp::field::expect];
      if (beast::iequals(expect, "100-continue")) {
        bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
        co_await bhttp::async_write(stream, go_on, asio::redirect_error(kAwait, ec));
      }
      if (!ec) {
        co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(kAwait, ec));
      }
    }
    if (ec) {
      if (const auto status = status_for_read_error(ec)) {
        const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
        co_await reject_and_linger(connection, buffer, *status, version);
      }
      co_return;
    }

    auto message = parser.release();
    if (beast::websocket::is_upgrade(message)) {
      const auto path = std::string(message.target().substr(0, message.target().find('?')));
      if (const auto* route = router.websocket_route(path)) {
        co_await serve_websocket(connection, *route, std::move(message));
        co_return;
      }
    }
    const unsigned version = message.version();
    const bool wants_keep_alive = message.keep_alive();
    const bool head = message.method() == bhttp::verb::head;
    const HttpRequest request = to_request(std::move(message));
    // Not a conditional expression: g++ 12 miscompiles co_await inside one.
    HttpResponse response;
    if (router.dispatch_for(request) == Dispatch::kWorkerThread) {
      response = co_await respond_on_worker(request);
    } else {
      response = respond(request);
    }
    // Decided after the handler: a stop() that began meanwhile must see this connection close.
    const bool keep_alive = wants_keep_alive && !tracker.closing();
    auto reply = to_message(std::move(response), version, head, keep_alive);

    stream.expires_after(settings.read_timeout);
    co_await bhttp::async_write(stream, reply, asio::redirect_error(kAwait, ec));
    if (ec) {
      co_return;
    }
    if (!reply.keep_alive()) {
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
  }
}

asio::awaitable<void> HttpServer::Impl::serve_websocket(
    Connection& connection, const WebSocketRoute& route,
    bhttp::request<bhttp::string_body> upgrade) {
  const unsigned version = upgrade.version();
  std::optional<HttpResponse> refusal;
  std::optional<std::string> subprotocol;
  if (tracker.closing()) {
    refusal = HttpResponse::text(503, "server shutting down\n");
  } else {
    const auto offered = upgrade[bhttp::field::sec_websocket_protocol];
    const std::string offered_text(offered.data(), offered.size());
    subprotocol = choose_subprotocol(offered.empty() ? nullptr : &offered_text, route.subprotocols);
    if (!subprotocol) {
      std::string names;
      for (const auto& name : route.subprotocols)
        names += (names.empty() ? "" : ", ") + name;
      refusal = HttpResponse::text(
          400, "unsupported WebSocket subprotocol; this endpoint speaks " + names + "\n");
    }
  }
  if (refusal) {
    auto reply = to_message(std::move(*refusal), version, false, false);
    error_code ec;
    connection.stream.expires_after(settings.read_timeout);
    co_await bhttp::async_write(connection.stream, reply, asio::redirect_error(kAwait, ec));
    connection.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    co_return;
  }
  const auto session = std::make_shared<WebSocketSession>(connection.stream, route, *subprotocol);
  // Before the handshake: a stop() from now on reaches the session (it waits for the handshake).
  connection.websocket = session;
  auto request = to_request(bhttp::request<bhttp::string_body>(upgrade));
  co_await session->run(std::move(upgrade), std::move(request));
}

asio::awaitable<void> HttpServer::Impl::reject_and_linger(Connection& connection,
                                                          beast::flat_buffer& buffer, int status,
                                                          unsigned version) {
  auto& stream = connection.stream;
  const char* text = status == 413   ? "request body too large\n"
                     : status == 431 ? "request header fields too large\n"
                                     : "bad request\n";
  auto reply = to_message(HttpResponse::text(status, text), version, false, false);
  error_code ec;
  stream.expires_after(settings.read_timeout);
  co_await bhttp::async_write(stream, reply, asio::redirect_error(kAwait, ec));
  if (ec) {
    co_return;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  connection.idle = true;
  stream.expires_after(kLingerTime);
  std::size_t dropped = 0;
  while (!ec && dropped < kLingerBytes) {
    buffer.clear();
    dropped += co_await stream.async_read_some(buffer.prepare(64 * 1024),
                                               asio::redirect_error(kAwait, ec));
  }
}

void HttpServer::Impl::run_io() {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& error) {
      spdlog::error("http server I/O thread: {}", error.what());
    }
  }
}

HttpServer::HttpServer(HttpServerSettings settings, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(settings), router)) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (impl_->started) {
    throw std::logic_error("HttpServer::start called twice");
  }
  impl_->started = true;
  impl_->bind();
  asio::co_spawn(impl_->accept_strand, impl_->accept_loop(), asio::detached);
  const int count = std::max(1, impl_->settings.threads);
  for (int i = 0; i < count; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->run_io(); });
  }
  spdlog::info("http server listening on {}",
               endpoint_text(impl_->settings.host, impl_->bound_port.load()));
}

void HttpServer::stop() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (!impl_->started || impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  Impl& impl = *impl_;
  const auto open = impl.tracker.close();
  asio::post(impl.accept_strand, [&impl] {
    error_code ignored;
    impl.acceptor.close(ignored);
  });
  for (const auto& weak : open) {
    if (const auto connection = weak.lock()) {
      asio::post(connection->stream.get_executor(), [weak] {
        const auto live = weak.lock();
        if (!live) {
          return;
        }
        if (live->idle) {
          live->stream.cancel();
        } else if (const auto websocket = live->websocket.lock()) {
          websocket->shutdown();
        }
      });
    }
  }
  if (const auto left = impl.tracker.wait_drained(impl.settings.drain_timeout); left != 0) {
    spdlog::warn("http server: {} connection(s) still busy after {} ms; abandoning them", left,
                 impl.settings.drain_timeout.count());
  }
  impl.io.stop();
  for (auto& thread : impl.threads) {
    thread.join();
  }
  impl.threads.clear();
  // WebSocket handlers may hold their connections beyond this server's life: from here on those
  // reach nothing (the I/O context they would post to is about to go).
  for (const auto& connection : impl.tracker.remaining()) {
    if (const auto websocket = connection->websocket.lock()) {
      websocket->finish_channel();
    }
  }
  // A handler still running (abandoned after drain_timeout) is waited for here: it holds
  // references into the server.
  impl.workers.join();
  // Sessions abandoned after drain_timeout stay suspended until the io_context is destroyed;
  // their clients must not wait that long. No I/O thread runs now, so this cannot race.
  for (const auto& connection : impl.tracker.remaining()) {
    connection->stream.close();
  }
  spdlog::info("http server on port {} stopped", impl.bound_port.load());
}

std::uint16_t HttpServer::port() const {
  return impl_->bound_port.load();
}

}  // namespace choreo::http
