#pragma once

#include "bus/jetstream.hpp"
#include "db/connection_pool.hpp"
#include "http/router.hpp"
#include "operator_access.hpp"
#include "operator_views.hpp"

namespace choreo::event_monitor {

// The monitor's operator API, for the live dashboard and scripts (docs/operations.md):
//   GET /api/overview     the choreography's state now (OperatorViews::overview)
//   GET /api/order?id=ID  one order's events (OperatorViews::order)
// Each needs an operator's bearer token (OperatorAccess); answers are JSON, never cached.
class OperatorApi {
 public:
  OperatorApi(OperatorAccess access, db::ConnectionPool& pool, bus::JetStreamClient& bus,
              std::string stream);

  void mount(http::Router& router) const;

 private:
  http::HttpResponse overview(const http::HttpRequest& request) const;
  http::HttpResponse order(const http::HttpRequest& request) const;

  OperatorAccess access_;
  db::ConnectionPool& pool_;
  bus::JetStreamClient& bus_;
  std::string stream_;
  OperatorViews views_;
};

}  // namespace choreo::event_monitor
