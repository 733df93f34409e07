#include "http/health.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace choreo::http {

bool HealthSnapshot::ready() const {
  if (!complete || stopping) {
    return false;
  }
  for (const auto& check : checks) {
    const bool decides = std::find(advisory.begin(), advisory.end(), check.first) == advisory.end();
    if (decides && !check.second) {
      return false;
    }
  }
  return true;
}

HttpResponse readiness_response(const HealthSnapshot& snapshot) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::object();
  for (const auto& [name, ok] : snapshot.checks) {
    checks[name] = !snapshot.complete ? "pending" : ok ? "ok" : "down";
  }
  const bool ready = snapshot.ready();
  nlohmann::ordered_json body;
  body["status"] = ready               ? "ready"
                   : snapshot.stopping ? "stopping"
                   : snapshot.complete ? "not ready"
                                       : "starting";
  body["checks"] = std::move(checks);
  return HttpResponse::json(ready ? 200 : 503, body.dump())
      .with_header("Cache-Control", "no-store");
}

HealthMonitor::HealthMonitor(std::vector<ReadinessCheck> checks, std::chrono::milliseconds interval)
    : checks_(std::move(checks)), interval_(interval) {
  for (const auto& check : checks_) {
    if (!check.probe) {
      throw std::invalid_argument("readiness check '" + check.name + "' has no probe");
    }
    latest_.checks.emplace_back(check.name, false);
    if (!check.required)
      latest_.advisory.push_back(check.name);
  }
}

HealthMonitor::~HealthMonitor() {
  stop();
}

void HealthMonitor::start() {
  std::lock_guard lock(mutex_);
  if (started_) {
    throw std::logic_error("HealthMonitor::start called twice");
  }
  started_ = true;
  thread_ = std::thread([this] { run(); });
}

void HealthMonitor::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopping_) {
      return;
    }
    stopping_ = true;
    latest_.stopping = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool HealthMonitor::ready() const {
  return snapshot().ready();
}

HealthSnapshot HealthMonitor::snapshot() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

void HealthMonitor::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    probe_round();
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

void HealthMonitor::probe_round() {
  HealthSnapshot round;
  round.complete = true;
  for (const auto& check : checks_) {
    if (!check.required)
      round.advisory.push_back(check.name);
    bool ok = false;
    try {
      ok = check.probe();
    } catch (const std::exception& error) {
      spdlog::warn("readiness check {} failed: {}", check.name, error.what());
    } catch (...) {
      spdlog::warn("readiness check {} failed with a non-standard exception", check.name);
    }
    round.checks.emplace_back(check.name, ok);
  }

  std::lock_guard lock(mutex_);
  if (stopping_) {
    return;
  }
  // Log changes only: a probe every second would otherwise flood the log.
  for (std::size_t i = 0; i < round.checks.size(); ++i) {
    const bool was_ok = latest_.complete && latest_.checks[i].second;
    const bool is_ok = round.checks[i].second;
    if (!latest_.complete || was_ok != is_ok) {
      if (is_ok) {
        spdlog::info("readiness check {} is ok", round.checks[i].first);
      } else {
        spdlog::warn("readiness check {} is down", round.checks[i].first);
      }
    }
  }
  latest_ = std::move(round);
}

void HealthMonitor::mount(Router& router) const {
  router.get("/healthz", [](const HttpRequest&) {
    return HttpResponse::json(200, R"({"status":"ok"})").with_header("Cache-Control", "no-store");
  });
  router.get("/readyz", [this](const HttpRequest&) { return readiness_response(snapshot()); });
}

}  // namespace choreo::http
