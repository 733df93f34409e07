#pragma once

#include "bus/jetstream.hpp"
#include "db/connection_pool.hpp"
#include "dlq/dead_letter_sources.hpp"
#include "http/router.hpp"
#include "operator_access.hpp"
#include "operator_views.hpp"
#include "runtime/fault_points.hpp"

namespace choreo::event_monitor {

// The monitor's operator API, for the live dashboard and scripts (docs/operations.md):
//   GET /api/overview     the choreography's state now (OperatorViews::overview)
//   GET /api/order?id=ID  one order's events (OperatorViews::order)
//   POST /api/dead-letters/replay {"service": "payment-worker", "number": 3}
//                         replays one dead letter (dlq::replay_letter, as `choreoctl dlq replay`)
// Each needs an operator's bearer token (OperatorAccess); answers are JSON, never cached. A
// browser never sends that token by itself, so another site's page cannot make it replay.
class OperatorApi {
 public:
  OperatorApi(OperatorAccess access, db::ConnectionPool& pool, bus::JetStreamClient& bus,
              std::string stream, std::vector<dlq::DeadLetterSource> sources,
              const runtime::FaultPoints& faults, std::chrono::milliseconds inbox_retention);

  void mount(http::Router& router) const;

 private:
  http::HttpResponse overview(const http::HttpRequest& request) const;
  http::HttpResponse order(const http::HttpRequest& request) const;
  http::HttpResponse replay(const http::HttpRequest& request) const;

  OperatorAccess access_;
  db::ConnectionPool& pool_;
  bus::JetStreamClient& bus_;
  std::string stream_;
  std::vector<dlq::DeadLetterSource> sources_;
  const runtime::FaultPoints& faults_;
  std::chrono::milliseconds inbox_retention_;
  OperatorViews views_;
};

}  // namespace choreo::event_monitor
