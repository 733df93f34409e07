#pragma once

#include <string>

#include "bus/bus_settings.hpp"
#include "config/env.hpp"
#include "db/connection_pool.hpp"
#include "http/http_server.hpp"
#include "logging/logging.hpp"
#include "runtime/fault_points.hpp"
#include "runtime/service_names.hpp"

namespace choreo::runtime {

// What every binary reads (docs/configuration.md): DATABASE_URL, NATS_URL, LISTEN_ADDR, LOG_LEVEL,
// LOG_FORMAT, MAX_DELIVER (with the consumer settings), plus DB_POOL_SIZE, MIGRATE_ON_START,
// SHUTDOWN_TIMEOUT, FAULT_POINT and the HTTP_* limits.
struct ServiceSettings {
  std::string name;
  logging::LogSettings log;
  db::PoolSettings database;
  bus::NatsSettings nats;
  config::ListenAddress listen;
  // host and port come from `listen`; the rest from HTTP_BODY_LIMIT, HTTP_READ_TIMEOUT,
  // HTTP_IDLE_TIMEOUT, HTTP_WORKER_THREADS and HTTP_MAX_CONNECTIONS.
  http::HttpServerSettings http;
  bool migrate_on_start = true;
  std::chrono::milliseconds shutdown_timeout{10'000};
  FaultPoints faults;
};

// Throws config::ConfigError (one line naming what to set) on missing or malformed values.
ServiceSettings load_service_settings(const config::EnvReader& env, const std::string& name,
                                      const std::string& default_listen);

}  // namespace choreo::runtime
