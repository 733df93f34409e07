#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.hpp"

// The narrow face of the server's WebSocket support: what an application protocol (GraphQL over
// WebSocket, say) sees of a connection. No Beast or Asio types, so protocol code compiles without
// those heavy headers and is unit-testable with a fake connection.
namespace choreo::http {

// Close codes of RFC 6455 §7.4.1 that the transport itself uses.
namespace websocket_close {
inline constexpr std::uint16_t kNormal = 1000;
inline constexpr std::uint16_t kGoingAway = 1001;  // the server is stopping
inline constexpr std::uint16_t kUnsupportedData = 1003;
inline constexpr std::uint16_t kPolicyViolation = 1008;  // e.g. a client that reads too slowly
inline constexpr std::uint16_t kTooBig = 1009;
inline constexpr std::uint16_t kInternalError = 1011;
}  // namespace websocket_close

// One accepted WebSocket connection, as its handler uses it. Every member is thread-safe: a
// handler may answer from a worker thread long after the message that asked arrived.
class WebSocketConnection {
 public:
  virtual ~WebSocketConnection() = default;

  // Queues a text message; messages go out in the order queued. Returns false, and drops the
  // message, once the connection is closing. A peer that reads so slowly that the queue passes
  // the route's send_queue_limit is disconnected (1008, "client reads too slowly"): memory stays
  // bounded however many messages the application produces.
  virtual bool send_text(std::string message) = 0;
  // Sends what is queued, then a close frame (the reason is cut to the 123 bytes a frame allows),
  // and ends the connection once the peer answers or after the handshake timeout. Idempotent.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // The negotiated subprotocol ("" when the route accepts none).
  virtual const std::string& subprotocol() const = 0;
};

// The application's side of one connection. The transport calls these one at a time, in order,
// on the connection's own I/O strand: keep them quick and hand blocking work to other threads.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;

  // The handshake completed; the connection can send.
  virtual void on_open() {}
  // A complete text message (binary messages close the connection with 1003).
  virtual void on_message(std::string message) = 0;
  // The server is stopping: say goodbye with send_text(); the transport then closes with 1001.
  virtual void on_shutdown() {}
  // The connection ended, for whatever reason; sending is no longer possible. Called once.
  virtual void on_close() = 0;
};

// Makes the handler of a new connection from its upgrade request. The handler may keep the
// connection (for answering later); the transport keeps the handler until on_close().
using WebSocketFactory = std::function<std::shared_ptr<WebSocketHandler>(
    const HttpRequest& upgrade, std::shared_ptr<WebSocketConnection> connection)>;

struct WebSocketLimits {
  std::size_t message_limit = 64 * 1024;  // a larger message closes the connection with 1009
  // Bytes queued for sending, not yet written to the socket, before the peer counts as too slow.
  std::size_t send_queue_limit = std::size_t{1} << 20;
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};  // opening and closing
  // A peer silent this long is dropped; the server pings it halfway through, so a live client
  // that merely has nothing to say stays connected (its WebSocket stack answers pings).
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // How long one message may take to leave; past it the peer counts as gone.
  std::chrono::milliseconds write_timeout{std::chrono::seconds(10)};
};

struct WebSocketRoute {
  // Accepted subprotocols, in the server's order of preference. When not empty, a client must
  // offer one of them (Sec-WebSocket-Protocol) or the upgrade is refused with 400.
  std::vector<std::string> subprotocols;
  WebSocketFactory factory;
  WebSocketLimits limits;
};

// The subprotocol to answer with: the first of `supported` that the client's
// Sec-WebSocket-Protocol field (`offered`, a comma-separated list) names; nullopt when none is.
// With nothing supported the answer is "" (no subprotocol) whatever the client offered.
std::optional<std::string> choose_subprotocol(const std::string* offered,
                                              const std::vector<std::string>& supported);

// A close reason as a close frame can carry it: at most 123 bytes, cut at a UTF-8 boundary.
std::string close_reason_for_frame(std::string_view reason);

}  // namespace choreo::http
