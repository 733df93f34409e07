#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/router.hpp"

namespace choreo::http {

struct HttpServerSettings {
  std::string host = "0.0.0.0";
  std::uint16_t port = 0;                         // 0 picks a free port (tests); port() tells which
  std::size_t body_limit = std::size_t{1} << 20;  // larger bodies get 413
  std::size_t header_limit = 16 * 1024;           // larger headers get 431
  // Milliseconds so tests can use short values; std::chrono::seconds assigns implicitly.
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};  // per request, and per write
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};  // keep-alive wait between
  // How long stop() lets in-flight requests finish before abandoning them.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(5)};
  std::size_t max_connections = 1024;  // connections past this are closed at once
  int threads = 1;
  // Threads for handlers registered with Dispatch::kWorkerThread (blocking work). A request
  // waiting for one holds its connection but no I/O thread.
  int worker_threads = 4;
};

// A small HTTP/1.1 server: keep-alive, limits and timeouts on every read, and WebSocket upgrades
// on the paths the Router names (see http/websocket.hpp).
// Sessions only do I/O; every decision about a request is the Router's. Inline handlers run on
// the I/O threads, so they must be quick; blocking ones run on the worker threads (see Dispatch).
class HttpServer {
 public:
  // The router must outlive the server and must not change after start().
  HttpServer(HttpServerSettings settings, const Router& router);
  ~HttpServer();  // stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens, then spawns the I/O threads and returns. Throws std::runtime_error such
  // as "cannot listen on 0.0.0.0:9104: Address already in use". Call at most once.
  void start();
  // Stops accepting, closes idle keep-alive connections, lets requests in progress finish and
  // their answers go out, lets each WebSocket handler say goodbye (on_shutdown) and closes its
  // connection with 1001 (all within drain_timeout), then joins the threads. Idempotent.
  void stop();
  // The bound port (the real one when settings asked for 0); 0 before start().
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace choreo::http
