#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <stop_token>
#include <thread>
#include <vector>

#include "bus/jetstream.hpp"
#include "consumer/consumer_metrics.hpp"
#include "consumer/consumer_settings.hpp"
#include "consumer/event_handler.hpp"
#include "db/connection_pool.hpp"
#include "runtime/fault_points.hpp"

namespace choreo::consumer {

// Runs one durable pull consumer: fetch a batch, process it in ONE transaction, commit, then
// settle each message. The batch first runs without savepoints (two round trips per message
// saved); only when one of its events fails does it run again with a savepoint per message, so
// one bad message does not spoil the others.
// Nothing is acknowledged before its effect is committed; a crash anywhere before the acks
// leads to redelivery, which the inbox (or the handler's natural key) turns into a no-op.
class ConsumerRuntime {
 public:
  ConsumerRuntime(ConsumerRuntimeSettings settings, bus::JetStreamClient& bus,
                  db::ConnectionPool& pool, EventHandler& handler,
                  const runtime::FaultPoints& faults, prometheus::Registry& metrics);
  ~ConsumerRuntime();

  // Starts the fetch loop on its own thread.
  void start();
  // Asks the loop to stop fetching and returns at once; stop() then waits. Lets a service stop
  // all its consumers side by side, so shutdown takes the longest of them, not their sum.
  void request_stop();
  // Stops fetching, finishes and settles the in-flight batch, then returns.
  void stop();
  // Runs after each committed batch (before its acks), e.g. to wake the outbox relay at once.
  // Set before start().
  void on_commit(std::function<void()> hook) { on_commit_ = std::move(hook); }
  // The loop has subscribed to its durable and is fetching.
  bool healthy() const { return subscribed_.load(); }

  // One fetch-process-settle round; public for tests. Returns how many messages it handled.
  std::size_t run_once();

  const ConsumerRuntimeSettings& settings() const { return settings_; }

 private:
  struct Pending;
  void loop(std::stop_token stop);
  void release_unprocessed();
  void prune_inbox_when_due();
  // The durable's pending, ack-pending and redelivered counts into the gauges, every
  // kLagRefreshInterval (one consumer-info request).
  void refresh_lag_when_due();
  bool ensure_subscribed();
  void process(std::vector<Pending>& batch);
  // The common case, without savepoints: one inbox statement for the batch, then the handler's
  // handle_all. False when an event failed; the caller rolls back and runs handle_isolated.
  bool handle_together(std::vector<Pending>& batch, pqxx::transaction_base& tx);
  // Each event in a savepoint of its own, so a failure undoes only its own work.
  void handle_isolated(std::vector<Pending>& batch, pqxx::transaction_base& tx);
  void settle_pending(Pending& pending, Outcome outcome);
  void fail_batch(std::vector<Pending>& batch, const std::string& why);

  ConsumerRuntimeSettings settings_;
  bus::JetStreamClient& bus_;
  db::ConnectionPool& pool_;
  EventHandler& handler_;
  const runtime::FaultPoints& faults_;
  ConsumerMetrics metrics_;
  std::unique_ptr<bus::PullConsumer> consumer_;
  std::function<void()> on_commit_;
  std::atomic<bool> subscribed_{false};
  std::chrono::steady_clock::time_point next_inbox_prune_{};
  std::chrono::steady_clock::time_point next_lag_refresh_{};
  std::jthread thread_;
};

}  // namespace choreo::consumer
