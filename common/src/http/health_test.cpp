#include "http/health.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace choreo::http {
namespace {

using namespace std::chrono_literals;

template <typename Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) {
      return true;
    }
    std::this_thread::sleep_for(2ms);
  }
  return predicate();
}

HttpResponse get(const Router& router, const std::string& path) {
  HttpRequest request;
  request.method = "GET";
  request.path = path;
  request.target = path;
  return router.handle(request);
}

TEST(HealthMonitorTest, ReadyzIsPendingUntilTheFirstRoundEnds) {
  std::atomic<bool> release{false};
  HealthMonitor monitor({{"database",
                          [&release] {
                            // A slow dependency: the first round takes as long as the test wants.
                            while (!release.load()) {
                              std::this_thread::sleep_for(1ms);
                            }
                            return true;
                          }},
                         {"nats", [] { return true; }}},
                        10ms);
  Router router;
  monitor.mount(router);
  monitor.start();

  const auto pending = get(router, "/readyz");
  EXPECT_EQ(pending.status, 503);
  EXPECT_EQ(pending.body,
            R"({"status":"starting","checks":{"database":"pending","nats":"pending"}})");
  EXPECT_FALSE(monitor.ready());
  // Liveness does not wait for the dependencies.
  EXPECT_EQ(get(router, "/healthz").status, 200);

  release = true;
  ASSERT_TRUE(eventually([&] { return monitor.ready(); }));
  const auto ready = get(router, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"status":"ready","checks":{"database":"ok","nats":"ok"}})");
  monitor.stop();
  EXPECT_FALSE(monitor.ready());
  const auto stopping = get(router, "/readyz");
  EXPECT_EQ(stopping.status, 503);
  EXPECT_EQ(stopping.body, R"({"status":"stopping","checks":{"database":"ok","nats":"ok"}})");
}

TEST(HealthMonitorTest, FailingOrThrowingProbeMarksItsCheckDown) {
  std::atomic<bool> nats_up{true};
  HealthMonitor monitor({{"database", []() -> bool { throw std::runtime_error("no route"); }},
                         {"nats", [&nats_up] { return nats_up.load(); }}},
                        5ms);
  monitor.start();
  ASSERT_TRUE(eventually([&] { return monitor.snapshot().complete; }));
  auto response = readiness_response(monitor.snapshot());
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, R"({"status":"not ready","checks":{"database":"down","nats":"ok"}})");

  nats_up = false;
  ASSERT_TRUE(eventually([&] {
    const auto snapshot = monitor.snapshot();
    return snapshot.complete && !snapshot.checks[1].second;
  }));
}

TEST(HealthMonitorTest, NoChecksMeansReadyAfterTheFirstRound) {
  HealthMonitor monitor({}, 5ms);
  EXPECT_FALSE(monitor.ready());
  monitor.start();
  EXPECT_TRUE(eventually([&] { return monitor.ready(); }));
}

TEST(HealthMonitorTest, StopDoesNotWaitForTheNextInterval) {
  HealthMonitor monitor({{"database", [] { return true; }}}, std::chrono::hours(1));
  monitor.start();
  ASSERT_TRUE(eventually([&] { return monitor.ready(); }));
  const auto begin = std::chrono::steady_clock::now();
  monitor.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 500ms);
  monitor.stop();  // idempotent
}

TEST(HealthMonitorTest, RejectsACheckWithoutProbe) {
  EXPECT_THROW(HealthMonitor({{"database", nullptr}}), std::invalid_argument);
}

}  // namespace
}  // namespace choreo::http
