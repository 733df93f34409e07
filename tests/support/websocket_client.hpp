#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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

// graphql-transport-ws messages.
nlohmann::json connection_init(const std::string& token);
nlohmann::json subscribe_message(const std::string& id, const std::string& query,
                                 const nlohmann::json& variables = nullptr);

}  // namespace choreo::testing
