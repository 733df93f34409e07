#pragma once

// Internal to the transport: only http_server.cpp and websocket_session.cpp include this header
// (it pulls in Beast). Applications see http/websocket.hpp.

// Before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "http/websocket.hpp"

namespace choreo::http {

class WebSocketSession;

// What the application holds (as a WebSocketConnection). It refers to the session weakly and
// forgets it for good once the session is finished, so a handler that keeps its connection past
// the server's life never reaches into a destroyed I/O context.
class WebSocketChannel final : public WebSocketConnection {
 public:
  WebSocketChannel(std::weak_ptr<WebSocketSession> session, std::string subprotocol);

  bool send_text(std::string message) override;
  void close(std::uint16_t code, std::string reason) override;
  const std::string& subprotocol() const override { return subprotocol_; }

  // From now on every call is a no-op. Called when the session ends, or by the server before it
  // destroys its I/O context.
  void finish();

 private:
  std::mutex mutex_;
  bool finished_ = false;
  std::weak_ptr<WebSocketSession> session_;
  const std::string subprotocol_;
};

// One upgraded connection: the handshake, the read loop feeding the handler, and a serialized,
// bounded write queue. Everything but queue_text(), request_close() and shutdown() runs on the
// connection's strand (the executor of the underlying stream).
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  using Upgrade = boost::beast::http::request<boost::beast::http::string_body>;

  WebSocketSession(boost::beast::tcp_stream& stream, const WebSocketRoute& route,
                   std::string subprotocol);
  ~WebSocketSession();

  // The connection's whole life after the upgrade request was read: returns when it has ended.
  boost::asio::awaitable<void> run(Upgrade upgrade, HttpRequest request);

  // Thread-safe. The server is stopping: the handler says goodbye, then the connection closes
  // with 1001 (immediately after the handshake if it is still in progress).
  void shutdown();
  // Thread-safe: whatever happens to the session from now on, the application cannot reach it.
  void finish_channel();

  // Used by WebSocketChannel (thread-safe).
  bool queue_text(std::string message);
  void request_close(std::uint16_t code, std::string reason);

 private:
  void enqueue(std::string message);                         // strand
  void begin_close(std::uint16_t code, std::string reason);  // strand
  void start_writer();                                       // strand
  boost::asio::awaitable<void> write_loop();                 // strand
  void cut();                                                // strand: drops the TCP connection
  void stop_for_shutdown();                                  // strand

  boost::beast::websocket::stream<boost::beast::tcp_stream&> ws_;
  const WebSocketRoute& route_;
  const std::string subprotocol_;
  std::shared_ptr<WebSocketChannel> channel_;
  std::shared_ptr<WebSocketHandler> handler_;
  boost::asio::steady_timer write_timer_;
  boost::asio::steady_timer close_timer_;

  // Bytes accepted by queue_text() and not yet written or dropped (any thread).
  std::atomic<std::size_t> pending_bytes_{0};
  std::atomic<bool> closing_{false};  // a close was requested: queue_text() refuses (any thread)

  // Strand only.
  std::deque<std::string> queue_;
  bool open_ = false;   // handshake done, not ended
  bool ended_ = false;  // the read loop has finished
  bool writing_ = false;
  bool shutdown_requested_ = false;
  std::optional<boost::beast::websocket::close_reason> close_;  // to send once the queue is empty
};

}  // namespace choreo::http
