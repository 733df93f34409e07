#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "config/env.hpp"

namespace choreo::ctl::inspect {

// Where a service answers HTTP (/healthz, /readyz, /metrics; the order service's /graphql too).
struct ServiceEndpoint {
  std::string service;   // order-service, ...
  std::string variable;  // ORDER_SERVICE_URL, ...
  std::string url;       // without a trailing slash
};

// Every service's, in the order of the choreography, from ORDER_SERVICE_URL,
// INVENTORY_WORKER_URL, PAYMENT_WORKER_URL, SHIPPING_WORKER_URL and EVENT_MONITOR_URL, by default
// http://127.0.0.1:8080 and :9101 to :9104 (the ports ./dev up and the compose file publish).
std::vector<ServiceEndpoint> service_endpoints(const config::EnvReader& env);

// What GET <url>/readyz answered.
struct Readiness {
  std::string service;
  std::string url;
  int http_status = 0;  // 0: no answer (refused, timed out)
  // The checks /readyz named not "ok" ("database: down"), or why there was no answer.
  std::string detail;

  bool ready() const { return http_status == 200; }
  // "ready", "not ready" or "unreachable".
  std::string state() const;
};

Readiness probe_readiness(const ServiceEndpoint& endpoint, std::chrono::milliseconds timeout);

}  // namespace choreo::ctl::inspect
