#pragma once

#include <functional>
#include <map>
#include <string>

#include "http/http_types.hpp"
#include "http/websocket.hpp"

namespace choreo::http {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// Where the transport runs a handler. Inline handlers run on the I/O threads and must be quick
// (read cached state); handlers that block (database work) run on the server's worker threads,
// so a slow query never stalls the connections that share an I/O thread.
enum class Dispatch { kInline, kWorkerThread };

// Maps (method, exact path) to a handler. Pure logic: the transport parses a request, calls
// handle() and writes whatever comes back, so every status decision here is unit-testable.
//
// Register every route before the server starts; handle() is const and then safe to call from
// several I/O threads at once.
class Router {
 public:
  // Throws std::invalid_argument if the same method and path are registered twice, because a
  // silently replaced handler is a wiring bug that is otherwise hard to see.
  void add(const std::string& method, const std::string& path, Handler handler,
           Dispatch dispatch = Dispatch::kInline);
  void get(const std::string& path, Handler handler, Dispatch dispatch = Dispatch::kInline) {
    add("GET", path, std::move(handler), dispatch);
  }
  void post(const std::string& path, Handler handler, Dispatch dispatch = Dispatch::kInline) {
    add("POST", path, std::move(handler), dispatch);
  }

  // The handler's response; 404 for an unknown path; 405 with an Allow field for a known path
  // and another method; 500 with a generic body if the handler throws (the exception is logged,
  // never sent). HEAD runs the GET handler: the transport sends its headers without the body.
  HttpResponse handle(const HttpRequest& request) const;

  // "GET, HEAD, POST" for a registered path, "" otherwise.
  std::string allowed_methods(const std::string& path) const;

  // How handle() would run this request's handler (kInline for 404s and 405s).
  Dispatch dispatch_for(const HttpRequest& request) const;

  // Accepts WebSocket upgrades on `path` (which may also have plain HTTP routes: a request that
  // is not an upgrade goes to those). Throws std::invalid_argument for a second registration of
  // the same path or a route without a factory.
  void websocket(const std::string& path, WebSocketRoute route);
  // The WebSocket route of a path, or nullptr.
  const WebSocketRoute* websocket_route(const std::string& path) const;

 private:
  struct Route {
    Handler handler;
    Dispatch dispatch;
  };
  // The route a request selects (HEAD falls back to GET), or nullptr.
  const Route* find(const HttpRequest& request) const;

  // path -> method -> route
  std::map<std::string, std::map<std::string, Route>> routes_;
  std::map<std::string, WebSocketRoute> websockets_;
};

}  // namespace choreo::http
