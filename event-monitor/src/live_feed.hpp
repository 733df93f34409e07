#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bus/jetstream.hpp"
#include "db/connection_pool.hpp"
#include "http/router.hpp"
#include "operator_access.hpp"
#include "operator_views.hpp"
#include "pipeline_tables.hpp"

namespace prometheus {
class Registry;
class Gauge;
}  // namespace prometheus

namespace choreo::event_monitor {

struct LiveFeedSettings {
  // How often a snapshot goes out: the durables' state is read from JetStream each time.
  std::chrono::milliseconds tick{1000};
  // How often the event log and the services' tables are read again (SQL, the costly part).
  std::chrono::milliseconds tables_every{2000};
  // The rates and latencies of the live view cover this much of the recent past.
  std::chrono::seconds window{60};
  // Samples of throughput and latency kept for the page's charts (one per tables_every).
  std::size_t history = 60;
  std::size_t max_viewers = 100;              // more dashboards are refused (1013)
  std::chrono::seconds sign_in_timeout{10};   // to send the token after connecting
  std::size_t send_queue_limit = 512 * 1024;  // a browser further behind is disconnected
};

// The dashboard's live stream, WebSocket /api/live. A browser connects, sends
//   {"type": "sign_in", "token": "<operator's token>"}
// and then receives {"type": "snapshot", ...} once per tick: the overview (OperatorViews), each
// outbox's backlog, the unreplayed dead letters and the recent history. Refusals arrive as
// {"type": "error", "status": 401|403|503, "message": ...} before a close with 4000 + status.
//
// The cost does not grow with the audience: one thread builds one snapshot per tick, only while
// someone is watching, and every viewer is sent the same text. Each viewer costs its socket and
// at most send_queue_limit bytes queued; one that reads slower is disconnected (and its page
// reconnects), so a slow or vanished browser leaves nothing behind.
class LiveFeed {
 public:
  LiveFeed(LiveFeedSettings settings, OperatorAccess access, db::ConnectionPool& pool,
           bus::JetStreamClient& bus, std::string stream,
           std::vector<dlq::DeadLetterSource> sources, prometheus::Registry& metrics);
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  void mount(http::Router& router);

 private:
  class Viewer;
  struct Entry {
    std::weak_ptr<Viewer> viewer;
    std::shared_ptr<http::WebSocketConnection> connection;
    std::chrono::steady_clock::time_point opened;
    bool signed_in = false;
  };

  std::shared_ptr<http::WebSocketHandler> open(std::shared_ptr<http::WebSocketConnection> c);
  void admit(const Viewer& viewer);  // refuses one past max_viewers
  void sign_in(const Viewer& viewer, const std::string& message);
  std::vector<Entry>::iterator find(const Viewer& viewer);  // under mutex_
  void forget(const Viewer& viewer);
  void run();
  std::string build_snapshot(bool refresh_tables);

  const LiveFeedSettings settings_;
  const OperatorAccess access_;
  db::ConnectionPool& pool_;
  bus::JetStreamClient& bus_;
  const std::string stream_;
  const OperatorViews views_;
  PipelineTables tables_;  // feed thread only
  prometheus::Gauge& viewers_gauge_;

  // Feed thread only: what the last SQL read found, kept between table refreshes.
  nlohmann::ordered_json overview_;
  nlohmann::ordered_json pipeline_;
  std::deque<nlohmann::ordered_json> history_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<Entry> viewers_;
  std::shared_ptr<const std::string> latest_;  // the last snapshot, for a viewer signing in
  std::thread thread_;
};

}  // namespace choreo::event_monitor
