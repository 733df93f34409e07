#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace choreo::testing {

// A blocking WebSocket client for tests; every call has a deadline, so a server bug fails the test
// instead of hanging it. A receive() that times out leaves its read pending: the next receive()
// picks up whatever arrives, so "nothing within N ms" checks do not cost the connection.
class WebSocketClient {
 public:
  struct Options {
    std::string subprotocol = "graphql-transport-ws";  // "" offers none
    int receive_buffer_bytes =
        0;  // SO_RCVBUF before connecting (0: the system's), for slow readers
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  };

  // Connects to `url` (http://host:port/path, as GRAPHQL_URL is; ws:// works too) and completes
  // the handshake. Throws std::runtime_error when it cannot; handshake_status() of a refused one
  // is available through try_connect().
  explicit WebSocketClient(const std::string& url, Options options);
  explicit WebSocketClient(const std::string& url) : WebSocketClient(url, Options{}) {}
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // The HTTP status of the handshake's answer (101 when upgraded), without throwing.
  static int handshake_status(const std::string& url, Options options);

  // The subprotocol the server chose.
  const std::string& subprotocol() const;

  void send(const std::string& text);
  void send(const nlohmann::json& message) { send(message.dump()); }
  void send_binary(const std::string& bytes);

  // The next text message, or nullopt on timeout or when the connection ended (see closed()).
  std::optional<std::string> receive(std::chrono::milliseconds deadline = std::chrono::seconds(5));
  // The next message parsed as JSON (nullopt as above; throws when it is not JSON).
  std::optional<nlohmann::json> receive_json(
      std::chrono::milliseconds deadline = std::chrono::seconds(5));

  // Reads (and discards) until the server closes; returns the close code, or -1 on timeout.
  int await_close(std::chrono::milliseconds deadline = std::chrono::seconds(5));

  bool closed() const;
  int close_code() const;  // 0 until closed with a code (1006 when the TCP connection just ended)
  const std::string& close_reason() const;

  // Sends a normal close (1000) and waits briefly for the server's answer.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Many WebSocket connections on one io_context served by a few threads, for load tests: a
// thousand subscribers without a thousand threads. Every connection reads all the time (so it
// answers the server's pings) and hands each text message, stamped with the moment it arrived, to
// one callback. The callback runs on the I/O threads: concurrently for different connections,
// never for the same one.
class WebSocketFleet {
 public:
  // The system clock, so arrival times compare with timestamps the database recorded.
  using Clock = std::chrono::system_clock;
  using OnMessage =
      std::function<void(std::size_t connection, std::string text, Clock::time_point received)>;
  // The message sent as soon as a connection's handshake completes (its connection_init).
  using FirstMessage = std::function<std::string(std::size_t connection)>;

  struct Options {
    std::string subprotocol = "graphql-transport-ws";
    int threads = 2;
    // Connections between connect() and the end of their handshake at any one time: a server
    // flooded with handshakes would let some connections wait past its init deadline.
    std::size_t max_opening = 32;
    std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};
  };

  WebSocketFleet(std::string url, Options options, OnMessage on_message);
  ~WebSocketFleet();  // drops every connection and joins the threads
  WebSocketFleet(const WebSocketFleet&) = delete;
  WebSocketFleet& operator=(const WebSocketFleet&) = delete;

  // Opens `count` connections (numbered 0..count-1), at most max_opening at a time; returns once
  // every handshake has completed or failed, or `deadline` passed: the number that opened.
  // Call once.
  std::size_t open(std::size_t count, FirstMessage first_message,
                   std::chrono::milliseconds deadline);

  // Queues a text message on one connection (any thread); messages go out in order.
  void send(std::size_t connection, std::string text);

  // Connections open now (handshake done, not closed).
  std::size_t open_count() const;
  // What went wrong, one line each ("connection 17: handshake: ...", "connection 3 closed by the
  // server: 1008 client reads too slowly"); closes this fleet asked for are not listed.
  std::vector<std::string> failures() const;

  // Sends a normal close on every connection and waits, at most `deadline`, for the server to
  // answer; the rest are cut. Returns how many closed cleanly.
  std::size_t close_all(std::chrono::milliseconds deadline);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// graphql-transport-ws messages.
nlohmann::json connection_init(const std::string& token);
nlohmann::json subscribe_message(const std::string& id, const std::string& query,
                                 const nlohmann::json& variables = nullptr);

}  // namespace choreo::testing
