#include "http/websocket_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream_base.hpp>

namespace choreo::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using boost::system::error_code;

constexpr auto kAwait = asio::use_awaitable;

}  // namespace

WebSocketChannel::WebSocketChannel(std::weak_ptr<WebSocketSession> session, std::string subprotocol)
    : session_(std::move(session)), subprotocol_(std::move(subprotocol)) {}

bool WebSocketChannel::send_text(std::string message) {
  // Held while the session is used, so that finish() (which the server calls before destroying its
  // I/O context) cannot complete while another thread is about to post to that context.
  std::lock_guard lock(mutex_);
  if (finished_)
    return false;
  const auto session = session_.lock();
  return session && session->queue_text(std::move(message));
}

void WebSocketChannel::close(std::uint16_t code, std::string reason) {
  std::lock_guard lock(mutex_);
  if (finished_)
    return;
  if (const auto session = session_.lock())
    session->request_close(code, std::move(reason));
}

void WebSocketChannel::finish() {
  std::lock_guard lock(mutex_);
  finished_ = true;
  session_.reset();
}

WebSocketSession::WebSocketSession(beast::tcp_stream& stream, const WebSocketRoute& route,
                                   std::string subprotocol)
    : ws_(stream),
      route_(route),
      subprotocol_(std::move(subprotocol)),
      write_timer_(stream.get_executor()),
      close_timer_(stream.get_executor()) {}

// Not finish_channel(): the last reference may be dropped inside WebSocketChannel::send_text,
// which holds the channel's lock. Every path that ends a session has finished the channel already.
WebSocketSession::~WebSocketSession() = default;

void WebSocketSession::finish_channel() {
  // The channel is created on the strand before anyone else can see this session, and never
  // replaced, so reading the pointer here needs no lock.
  if (channel_)
    channel_->finish();
}

asio::awaitable<void> WebSocketSession::run(Upgrade upgrade, HttpRequest request) {
  const auto self = shared_from_this();
  const auto& limits = route_.limits;
  // The WebSocket stream keeps its own timers: the TCP stream's deadline would cut a connection
  // that is merely quiet.
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = limits.handshake_timeout;
  timeouts.idle_timeout = limits.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(limits.message_limit);
  ws_.set_option(websocket::stream_base::decorator(
      [protocol = subprotocol_](websocket::response_type& response) {
        if (!protocol.empty())
          response.set(beast::http::field::sec_websocket_protocol, protocol);
      }));

  error_code ec;
  co_await ws_.async_accept(upgrade, asio::redirect_error(kAwait, ec));
  if (ec)
    co_return;
  ws_.text(true);

  channel_ = std::make_shared<WebSocketChannel>(weak_from_this(), subprotocol_);
  try {
    handler_ = route_.factory(request, channel_);
  } catch (const std::exception& error) {
    spdlog::error("websocket {}: creating the handler failed: {}", request.path, error.what());
  }
  open_ = true;
  if (!handler_) {
    begin_close(websocket_close::kInternalError, "internal server error");
  } else {
    handler_->on_open();
    if (shutdown_requested_)
      stop_for_shutdown();
  }

  beast::flat_buffer buffer;
  for (;;) {
    co_await ws_.async_read(buffer, asio::redirect_error(kAwait, ec));
    if (ec)
      break;  // closed by either side, timed out, too big (Beast answered 1009), or cut
    if (!ws_.got_text()) {
      begin_close(websocket_close::kUnsupportedData, "binary messages are not supported");
    } else if (handler_ && !close_) {
      handler_->on_message(beast::buffers_to_string(buffer.data()));
    }
    buffer.consume(buffer.size());
  }

  ended_ = true;
  open_ = false;
  closing_ = true;
  finish_channel();
  write_timer_.cancel();
  close_timer_.cancel();
  queue_.clear();
  if (handler_) {
    try {
      handler_->on_close();
    } catch (const std::exception& error) {
      spdlog::error("websocket {}: on_close failed: {}", request.path, error.what());
    }
    handler_.reset();
  }
}

bool WebSocketSession::queue_text(std::string message) {
  if (closing_)
    return false;
  const std::size_t size = message.size();
  if (pending_bytes_.fetch_add(size) + size > route_.limits.send_queue_limit) {
    pending_bytes_ -= size;
    request_close(websocket_close::kPolicyViolation, "client reads too slowly");
    return false;
  }
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), message = std::move(message)]() mutable {
               self->enqueue(std::move(message));
             });
  return true;
}

void WebSocketSession::request_close(std::uint16_t code, std::string reason) {
  if (closing_.exchange(true))
    return;
  asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
    self->begin_close(code, reason);
  });
}

void WebSocketSession::shutdown() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->shutdown_requested_ = true;
    if (self->open_)
      self->stop_for_shutdown();
  });
}

void WebSocketSession::stop_for_shutdown() {
  if (close_ || ended_)
    return;
  if (handler_) {
    try {
      handler_->on_shutdown();
    } catch (const std::exception& error) {
      spdlog::error("websocket: on_shutdown failed: {}", error.what());
    }
  }
  // Posted after whatever on_shutdown() queued, so those messages go out first.
  closing_ = true;
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    self->begin_close(websocket_close::kGoingAway, "server shutting down");
  });
}

void WebSocketSession::enqueue(std::string message) {
  if (ended_ || close_) {
    pending_bytes_ -= message.size();
    return;
  }
  queue_.push_back(std::move(message));
  start_writer();
}

void WebSocketSession::begin_close(std::uint16_t code, std::string reason) {
  closing_ = true;
  if (ended_ || close_)
    return;
  if (code == websocket_close::kPolicyViolation) {
    // A slow reader gets its close frame right after the message in flight, not after a backlog
    // it cannot read anyway.
    for (const auto& message : queue_)
      pending_bytes_ -= message.size();
    queue_.clear();
  }
  close_ = websocket::close_reason(static_cast<websocket::close_code>(code),
                                   close_reason_for_frame(reason));
  if (code == websocket_close::kPolicyViolation || code >= 4000) {
    spdlog::info("websocket: closing a connection with {} ({})", code, reason);
  }
  // However the peer behaves, the connection ends within the handshake timeout from here.
  close_timer_.expires_after(route_.limits.handshake_timeout + route_.limits.write_timeout);
  close_timer_.async_wait([weak = weak_from_this()](const error_code& ec) {
    if (const auto self = weak.lock(); self && !ec)
      self->cut();
  });
  start_writer();
}

void WebSocketSession::start_writer() {
  if (writing_ || !open_)
    return;
  writing_ = true;
  asio::co_spawn(
      ws_.get_executor(), [self = shared_from_this()] { return self->write_loop(); },
      asio::detached);
}

asio::awaitable<void> WebSocketSession::write_loop() {
  error_code ec;
  while (!ended_) {
    if (!queue_.empty()) {
      const std::string message = std::move(queue_.front());
      queue_.pop_front();
      write_timer_.expires_after(route_.limits.write_timeout);
      write_timer_.async_wait([weak = weak_from_this()](const error_code& timer_ec) {
        if (const auto self = weak.lock(); self && !timer_ec)
          self->cut();  // the peer stopped reading altogether
      });
      co_await ws_.async_write(asio::buffer(message), asio::redirect_error(kAwait, ec));
      write_timer_.cancel();
      pending_bytes_ -= message.size();
      if (ec)
        break;
      continue;
    }
    if (close_) {
      const auto reason = *close_;
      co_await ws_.async_close(reason, asio::redirect_error(kAwait, ec));
      break;  // the read loop sees the end of the close handshake
    }
    break;
  }
  writing_ = false;
}

void WebSocketSession::cut() {
  if (ended_)
    return;
  error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace choreo::http
