#include "runtime/service.hpp"

#include <prometheus/registry.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <condition_variable>
#include <iostream>
#include <pqxx/pqxx>

#include "bus/nats_error.hpp"
#include "consumer/dead_letters.hpp"
#include "db/errors.hpp"
#include "db/migrator.hpp"
#include "http/http_server.hpp"
#include "http/metrics.hpp"
#include "inbox/inbox.hpp"
#include "runtime/interruptible_sleep.hpp"
#include "runtime/readiness_probe.hpp"

namespace choreo::runtime {
namespace {

// Ends the process if a graceful shutdown hangs (a stuck database call, say): an orchestrator
// waiting on us should not have to escalate to SIGKILL.
class ShutdownWatchdog {
 public:
  explicit ShutdownWatchdog(std::chrono::milliseconds limit)
      : thread_([limit](std::stop_token stop) {
          interruptible_sleep(stop, limit);
          if (!stop.stop_requested()) {
            spdlog::error("graceful shutdown exceeded {} ms; exiting now", limit.count());
            spdlog::default_logger()->flush();
            ::_exit(1);
          }
        }) {}

 private:
  std::jthread thread_;
};

}  // namespace

Service::Service(ServiceSettings settings, ShutdownSignal& shutdown)
    : settings_(std::move(settings)),
      shutdown_(shutdown),
      metrics_(std::make_shared<prometheus::Registry>()) {
  auto statements = inbox::prepared_statements();
  const auto dead_letters = consumer::dead_letter_statements();
  statements.insert(statements.end(), dead_letters.begin(), dead_letters.end());
  pool_ = std::make_unique<db::ConnectionPool>(settings_.database, std::move(statements));
  bus_ = std::make_unique<bus::JetStreamClient>(settings_.nats);
  checks_.push_back({"database", [this] { return pool_->ping(); }});
  checks_.push_back({"nats", [this] { return bus_->connected(); }});
}

Service::~Service() = default;

void Service::add_consumer(consumer::ConsumerRuntimeSettings settings,
                           consumer::EventHandler& handler) {
  consumers_.push_back(std::make_unique<consumer::ConsumerRuntime>(
      std::move(settings), *bus_, *pool_, handler, settings_.faults, *metrics_));
  // A committed batch may have written outbox rows (the next event of the choreography).
  consumers_.back()->on_commit([this] { wake_outbox_relays(); });
}

void Service::wake_outbox_relays() {
  for (auto& relay : relays_)
    relay->wake();
}

void Service::add_outbox_relay(outbox::OutboxRelaySettings settings) {
  relays_.push_back(std::make_unique<outbox::OutboxRelay>(std::move(settings), *pool_, *bus_,
                                                          settings_.faults, *metrics_));
}

void Service::add_readiness_check(http::ReadinessCheck check) {
  checks_.push_back(std::move(check));
}

void Service::add_startup_step(std::string name, std::function<void()> step) {
  startup_steps_.emplace_back(std::move(name), std::move(step));
}

bool Service::bootstrap() {
  auto wait = std::chrono::milliseconds(250);
  for (int attempt = 1; !shutdown_.requested(); ++attempt) {
    std::string step = "migrations";
    try {
      if (settings_.migrate_on_start) {
        auto connection = pool_->open_dedicated();
        const auto report = db::ensure_schema(*connection, db::Migrator(db::embedded_migrations()));
        if (!report.applied.empty()) {
          spdlog::info("applied {} migration(s)", report.applied.size());
        }
      }
      step = "the events stream";
      bus_->ensure_stream(bus::events_stream(settings_.nats));
      for (const auto& [name, run_step] : startup_steps_) {
        step = name;
        run_step();
      }
      return true;
    } catch (const std::exception& error) {
      const auto* nats_error = dynamic_cast<const bus::NatsError*>(&error);
      const bool retryable = db::is_transient(error) ||
                             dynamic_cast<const db::SchemaNotReady*>(&error) != nullptr ||
                             (nats_error != nullptr && nats_error->transient());
      if (!retryable) {
        // A bug or a misconfiguration: waiting will not fix it, and a clear exit beats a service
        // that stays unready for ever.
        spdlog::critical("cannot start: {}: {}", step, db::describe(error));
        return false;
      }
      spdlog::warn("waiting for dependencies (attempt {}): {}: {}", attempt, step,
                   db::describe(error));
      interruptible_sleep(shutdown_.token(), wait);
      wait = std::min(wait * 2, std::chrono::milliseconds(5000));
    }
  }
  return false;
}

int Service::run() {
  // Consumers count as ready once subscribed; until then /readyz says which part is missing.
  if (!consumers_.empty()) {
    checks_.push_back({"consumers", [this] {
                         for (const auto& runtime : consumers_) {
                           if (!runtime->healthy())
                             return false;
                         }
                         return true;
                       }});
  }
  http::HealthMonitor health(checks_);
  health.mount(router_);
  http::mount_metrics(router_, metrics_);
  http::HttpServer server(settings_.http, router_);
  try {
    server.start();
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return 1;
  }
  health.start();
  spdlog::info("{} serving health and metrics on {}:{}", settings_.name, settings_.listen.host,
               server.port());

  if (!bootstrap()) {
    const bool interrupted = shutdown_.requested();
    server.stop();
    return interrupted ? 0 : 1;
  }
  for (auto& relay : relays_)
    relay->start();
  for (auto& runtime : consumers_)
    runtime->start();
  spdlog::info("{} started: {} consumer(s), {} outbox relay(s)", settings_.name, consumers_.size(),
               relays_.size());

  shutdown_.wait();

  ShutdownWatchdog watchdog(settings_.shutdown_timeout);
  // Order matters: the API first (in-flight requests finish; their outbox rows are committed),
  // then the consumers (their batches may write outbox rows too), then the relays flush those
  // rows, then the connections go.
  server.stop();
  for (auto& runtime : consumers_)
    runtime->request_stop();
  for (auto& runtime : consumers_)
    runtime->stop();
  for (auto& relay : relays_)
    relay->stop();
  health.stop();
  bus_->drain(std::chrono::seconds(2));
  spdlog::info("{} stopped cleanly", settings_.name);
  return 0;
}

int service_main(int argc, char** argv, const std::string& name, const std::string& default_listen,
                 const std::function<void(Service&, const config::EnvReader&)>& wire) {
  const config::EnvReader env;
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments == std::vector<std::string>{"--healthcheck"}) {
    try {
      return probe_own_readiness(
          config::parse_listen_address("LISTEN_ADDR", env.string_or("LISTEN_ADDR", default_listen)),
          std::cout);
    } catch (const config::ConfigError& error) {
      std::cerr << name << ": " << error.what() << std::endl;
      return 2;
    }
  }
  if (!arguments.empty()) {
    std::cerr << name << ": unexpected argument '" << arguments.front()
              << "'; the service is configured by its environment (--healthcheck asks a running "
                 "one whether it is ready)"
              << std::endl;
    return 2;
  }
  // First, before any thread exists, so every thread inherits the blocked signal mask.
  ShutdownSignal shutdown;
  ServiceSettings settings;
  try {
    settings = load_service_settings(env, name, default_listen);
  } catch (const config::ConfigError& error) {
    std::cerr << name << ": " << error.what() << std::endl;
    return 2;
  }
  logging::setup(settings.log);
  try {
    Service service(std::move(settings), shutdown);
    wire(service, env);
    return service.run();
  } catch (const config::ConfigError& error) {
    std::cerr << name << ": " << error.what() << std::endl;
    return 2;
  } catch (const std::exception& error) {
    spdlog::critical("{} failed to start: {}", name, error.what());
    return 1;
  }
}

}  // namespace choreo::runtime
