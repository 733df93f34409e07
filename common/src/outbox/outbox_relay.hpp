#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "bus/jetstream.hpp"
#include "db/connection_pool.hpp"
#include "runtime/fault_points.hpp"

#include <pqxx/connection>

namespace choreo::outbox {

struct OutboxRelaySettings {
  std::string source;  // the service whose rows this relay publishes, e.g. "order-service"
  int batch_size = 256;
  // The relay is woken by its own process after each commit that may have written outbox rows
  // (wake()), and also polls this often, for rows written by other processes: another instance
  // whose relay stands by, or rows left while no relay ran.
  std::chrono::milliseconds poll_interval{100};
  std::chrono::milliseconds publish_timeout{5000};
  std::chrono::hours retention{24};  // published rows kept this long, then pruned
  // A standby instance retries the leadership lock this often.
  std::chrono::milliseconds standby_retry{2000};
};

// Takes the session advisory lock that makes this connection the one relay of `source`, and sets
// the session up for relaying; false when another session holds the lock. Released when the
// session ends, so a crashed relay frees it.
bool try_lock_relay(pqxx::connection& connection, const std::string& source);

// Publishes a service's outbox rows to JetStream in id order, Nats-Msg-Id = the row's event id,
// and marks them published. One active relay per source across all instances (a session
// advisory lock on a dedicated connection; others stand by and take over when it is released).
// A crash between publish and mark-sent republishes the same ids, which the stream drops as
// duplicates within its window.
class OutboxRelay {
 public:
  OutboxRelay(OutboxRelaySettings settings, db::ConnectionPool& pool, bus::JetStreamClient& bus,
              const runtime::FaultPoints& faults, prometheus::Registry& metrics);
  ~OutboxRelay();

  void start();
  // Stops after publishing what is already committed (bounded by `flush_timeout`).
  void stop(std::chrono::milliseconds flush_timeout = std::chrono::seconds(5));

  bool active() const { return active_.load(); }

  // Rows may have been committed: look now instead of at the next poll. Cheap, and safe from any
  // thread. In-process instead of a NOTIFY trigger: PostgreSQL serialises every committing
  // transaction that sent a NOTIFY, across the whole cluster, for the length of its WAL flush,
  // which stopped concurrent commits from sharing one flush.
  void wake();

  // Publishes until no unpublished row remains or `deadline` passes; for tools and tests, with a
  // connection of the caller's. Returns how many rows it published.
  std::size_t drain(pqxx::connection& connection, std::chrono::steady_clock::time_point deadline);

 private:
  void loop(std::stop_token stop);
  std::size_t relay_batch(pqxx::connection& connection);
  void prune(pqxx::connection& connection);
  // The unpublished rows of the source and the oldest one's age into the backlog gauges, every
  // kBacklogRefreshInterval; before each publish attempt, so they also move while JetStream
  // refuses the rows.
  void refresh_backlog_when_due(pqxx::connection& connection);

  OutboxRelaySettings settings_;
  db::ConnectionPool& pool_;
  bus::JetStreamClient& bus_;
  const runtime::FaultPoints& faults_;
  prometheus::Counter& published_;
  prometheus::Counter& publish_failures_;
  prometheus::Gauge& leader_;
  prometheus::Gauge& backlog_;
  prometheus::Gauge& oldest_age_;
  std::chrono::steady_clock::time_point next_backlog_refresh_{};
  std::atomic<bool> active_{false};
  std::chrono::milliseconds flush_timeout_{5000};
  std::mutex wake_mutex_;
  std::condition_variable_any wake_condition_;
  bool woken_ = false;  // guarded by wake_mutex_
  std::jthread thread_;
};

}  // namespace choreo::outbox
