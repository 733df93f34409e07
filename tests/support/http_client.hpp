#pragma once

#include <string>

#include "http/http_client.hpp"

namespace choreo::testing {

// The tests ask the services over the same client the operator's tools use.
using HttpResult = http::HttpResponse;
using http::http_get;
using http::http_request;

// The value of one Prometheus series in a /metrics text (first match of the full series text,
// e.g. `choreo_consumer_events_total{consumer="x",outcome="duplicate"}`), or -1 when absent.
double metric_value(const std::string& metrics_text, const std::string& series);

}  // namespace choreo::testing
