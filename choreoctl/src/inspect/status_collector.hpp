#pragma once

#include <chrono>

#include "config/env.hpp"
#include "inspect/status_report.hpp"

namespace choreo::ctl::inspect {

// Asks everything `choreoctl status` reports on: each service's /readyz (its *_URL), the stream
// and its consumers (NATS_URL), each service's outbox and dead letters and the orders (through
// the service databases). What does not answer within `timeout` is listed in `unreachable`
// instead of failing the whole report.
StatusReport collect_status(const config::EnvReader& env, std::chrono::milliseconds timeout);

}  // namespace choreo::ctl::inspect
