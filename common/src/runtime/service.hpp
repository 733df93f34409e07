#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "bus/jetstream.hpp"
#include "config/env.hpp"
#include "consumer/consumer_runtime.hpp"
#include "db/connection_pool.hpp"
#include "http/health.hpp"
#include "http/router.hpp"
#include "outbox/outbox_relay.hpp"
#include "runtime/service_settings.hpp"
#include "runtime/shutdown_signal.hpp"

namespace prometheus {
class Registry;
}

namespace choreo::runtime {

// The lifecycle every binary shares. Wiring code registers consumers, relays, statements and
// routes; run() then
//   1. serves /healthz, /readyz and /metrics on LISTEN_ADDR at once (ready stays 503 until the
//      database and NATS answer and every consumer has subscribed),
//   2. migrates the database (MIGRATE_ON_START), ensures the `events` stream and runs the
//      startup steps, retrying while the database or NATS is unreachable,
//   3. starts the outbox relays and the consumers,
//   4. on SIGTERM/SIGINT stops fetching, finishes and settles in-flight batches, flushes the
//      outbox, closes connections and returns 0 (a watchdog bounds it by SHUTDOWN_TIMEOUT).
class Service {
 public:
  Service(ServiceSettings settings, ShutdownSignal& shutdown);
  ~Service();

  const ServiceSettings& settings() const { return settings_; }
  db::ConnectionPool& pool() { return *pool_; }
  bus::JetStreamClient& bus() { return *bus_; }
  prometheus::Registry& metrics() { return *metrics_; }
  const FaultPoints& faults() const { return settings_.faults; }
  http::Router& router() { return router_; }

  // Keeps a wiring object (a handler, say) alive as long as the service.
  template <typename T, typename... Args>
  T& emplace(Args&&... args) {
    auto object = std::make_shared<T>(std::forward<Args>(args)...);
    T& reference = *object;
    owned_.push_back(std::move(object));
    return reference;
  }

  void add_consumer(consumer::ConsumerRuntimeSettings settings, consumer::EventHandler& handler);
  void add_outbox_relay(outbox::OutboxRelaySettings settings);
  // Tells this process's relays that a commit may have written outbox rows (consumers do it by
  // themselves; other writers, such as the GraphQL endpoint, call this).
  void wake_outbox_relays();
  void add_readiness_check(http::ReadinessCheck check);
  // Runs after the migrations and before the consumers start; retried with them while the
  // database is unreachable.
  void add_startup_step(std::string name, std::function<void()> step);

  // Returns the process exit code.
  int run();

 private:
  bool bootstrap();

  ServiceSettings settings_;
  ShutdownSignal& shutdown_;
  std::shared_ptr<prometheus::Registry> metrics_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<bus::JetStreamClient> bus_;
  http::Router router_;
  std::vector<http::ReadinessCheck> checks_;
  std::vector<std::pair<std::string, std::function<void()>>> startup_steps_;
  std::vector<std::unique_ptr<consumer::ConsumerRuntime>> consumers_;
  std::vector<std::unique_ptr<outbox::OutboxRelay>> relays_;
  std::vector<std::shared_ptr<void>> owned_;
};

// The whole of a service's main(): reads the environment, sets up logging, builds the Service,
// lets `wire` register the service's parts, and runs it. A configuration error prints one line
// and exits 2; any other failure to start logs and exits 1. `--healthcheck` instead asks the
// running service's own /readyz (the container health check) and exits 0 when it is ready.
int service_main(int argc, char** argv, const std::string& name, const std::string& default_listen,
                 const std::function<void(Service&, const config::EnvReader&)>& wire);

}  // namespace choreo::runtime
