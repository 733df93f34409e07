#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <set>
#include <stdexcept>

namespace choreo::http {

void Router::add(const std::string& method, const std::string& path, Handler handler,
                 Dispatch dispatch) {
  if (method.empty() || path.empty() || path.front() != '/') {
    throw std::invalid_argument("route needs a method and a path starting with '/': '" + method +
                                " " + path + "'");
  }
  if (!handler) {
    throw std::invalid_argument("route " + method + " " + path + " has no handler");
  }
  auto& methods = routes_[path];
  if (!methods.emplace(method, Route{std::move(handler), dispatch}).second) {
    throw std::invalid_argument("route " + method + " " + path + " is registered twice");
  }
}

void Router::websocket(const std::string& path, WebSocketRoute route) {
  if (path.empty() || path.front() != '/') {
    throw std::invalid_argument("websocket route needs a path starting with '/': '" + path + "'");
  }
  if (!route.factory) {
    throw std::invalid_argument("websocket route " + path + " has no handler factory");
  }
  if (!websockets_.emplace(path, std::move(route)).second) {
    throw std::invalid_argument("websocket route " + path + " is registered twice");
  }
}

const WebSocketRoute* Router::websocket_route(const std::string& path) const {
  const auto found = websockets_.find(path);
  return found == websockets_.end() ? nullptr : &found->second;
}

std::string Router::allowed_methods(const std::string& path) const {
  const auto route = routes_.find(path);
  if (route == routes_.end()) {
    return {};
  }
  std::set<std::string> names;
  for (const auto& entry : route->second) {
    names.insert(entry.first);
  }
  if (names.count("GET") != 0) {
    names.insert("HEAD");
  }
  std::string allowed;
  for (const auto& name : names) {
    if (!allowed.empty()) {
      allowed += ", ";
    }
    allowed += name;
  }
  return allowed;
}

const Router::Route* Router::find(const HttpRequest& request) const {
  const auto route = routes_.find(request.path);
  if (route == routes_.end()) {
    return nullptr;
  }
  const auto& methods = route->second;
  auto entry = methods.find(request.method);
  if (entry == methods.end() && request.method == "HEAD") {
    entry = methods.find("GET");
  }
  return entry == methods.end() ? nullptr : &entry->second;
}

Dispatch Router::dispatch_for(const HttpRequest& request) const {
  const Route* route = find(request);
  return route == nullptr ? Dispatch::kInline : route->dispatch;
}

HttpResponse Router::handle(const HttpRequest& request) const {
  const Route* route = find(request);
  if (route == nullptr) {
    if (routes_.count(request.path) == 0) {
      return HttpResponse::text(404, "not found\n");
    }
    return HttpResponse::text(405, "method not allowed\n")
        .with_header("Allow", allowed_methods(request.path));
  }
  try {
    return route->handler(request);
  } catch (const std::exception& error) {
    spdlog::error("http handler {} {} failed: {}", request.method, request.path, error.what());
  } catch (...) {
    spdlog::error("http handler {} {} failed with a non-standard exception", request.method,
                  request.path);
  }
  return HttpResponse::text(500, "internal server error\n");
}

}  // namespace choreo::http
