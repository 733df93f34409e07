#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/router.hpp"

namespace choreo::http {

// One dependency the service needs to do its work (database, NATS...). The probe returns true
// when the dependency answers; it may block for a few seconds and may throw (counted as down).
struct ReadinessCheck {
  std::string name;
  std::function<bool()> probe;
  // False: reported in /readyz's body ("ok" or "down") without making the service unready, for
  // what the service works on without (an identity provider whose known keys keep working).
  bool required = true;
};

// The latest probe results, in registration order.
struct HealthSnapshot {
  // False until the first round of probes has finished.
  bool complete = false;
  // True once stop() began: a process shutting down takes no new work, whatever the probes said.
  bool stopping = false;
  std::vector<std::pair<std::string, bool>> checks;
  // The names of the checks that do not decide readiness (ReadinessCheck::required false).
  std::vector<std::string> advisory;

  bool ready() const;
};

// Runs the readiness probes on its own thread, so that a slow probe never blocks an I/O thread,
// and serves the cached results on /healthz and /readyz.
class HealthMonitor {
 public:
  explicit HealthMonitor(std::vector<ReadinessCheck> checks,
                         std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~HealthMonitor();  // stop()s
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  // Starts the probe thread; the first round runs at once. Call at most once.
  void start();
  // Waits for a probe in progress to return, then joins. Idempotent.
  void stop();

  bool ready() const;
  HealthSnapshot snapshot() const;

  // Adds GET /healthz (200 while the process serves) and GET /readyz (200 when every check
  // passed in the latest round, else 503; see readiness_response). The monitor must outlive the
  // router's use.
  void mount(Router& router) const;

 private:
  void run();
  void probe_round();

  const std::vector<ReadinessCheck> checks_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool started_ = false;
  HealthSnapshot latest_;
  std::thread thread_;
};

// The /readyz answer for a snapshot: {"status":S,"checks":{NAME:C,...}} where S is "ready" (200)
// or "starting", "not ready", "stopping" (503), and C is "ok", "down" or "pending".
HttpResponse readiness_response(const HealthSnapshot& snapshot);

}  // namespace choreo::http
