#pragma once

#include <memory>
#include <string>

#include "http/router.hpp"

namespace prometheus {
class Registry;
}

namespace choreo::http {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// Adds GET /metrics: everything in the registry plus the standard process_* metrics, read at
// scrape time, in Prometheus text format.
void mount_metrics(Router& router, std::shared_ptr<prometheus::Registry> registry);

// The /metrics body (exposed for tests and for other transports).
std::string render_metrics(prometheus::Registry& registry);

}  // namespace choreo::http
