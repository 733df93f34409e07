#pragma once

#include <functional>
#include <map>
#include <string>

#include "http/http_types.hpp"

namespace choreo::http {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// Maps (method, exact path) to a handler. Pure logic: the transport parses a request, calls
// handle() and writes whatever comes back, so every status decision here is unit-testable.
//
// Register every route before the server starts; handle() is const and then safe to call from
// several I/O threads at once.
class Router {
 public:
  // Throws std::invalid_argument if the same method and path are registered twice, because a
  // silently replaced handler is a wiring bug that is otherwise hard to see.
  void add(const std::string& method, const std::string& path, Handler handler);
  void get(const std::string& path, Handler handler) { add("GET", path, std::move(handler)); }
  void post(const std::string& path, Handler handler) { add("POST", path, std::move(handler)); }

  // The handler's response; 404 for an unknown path; 405 with an Allow field for a known path
  // and another method; 500 with a generic body if the handler throws (the exception is logged,
  // never sent). HEAD runs the GET handler: the transport sends its headers without the body.
  HttpResponse handle(const HttpRequest& request) const;

  // "GET, HEAD, POST" for a registered path, "" otherwise.
  std::string allowed_methods(const std::string& path) const;

 private:
  // path -> method -> handler
  std::map<std::string, std::map<std::string, Handler>> routes_;
};

}  // namespace choreo::http
