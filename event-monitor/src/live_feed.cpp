#include "live_feed.hpp"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <pqxx/pqxx>

#include "bus/consumer_state_json.hpp"
#include "db/errors.hpp"
#include "logging/one_line.hpp"
#include "runtime/time_text.hpp"

namespace choreo::event_monitor {
namespace {

using Clock = std::chrono::steady_clock;

// Close codes 4000-4999 are the application's (RFC 6455 §7.4.2): 4000 + the HTTP status the
// same refusal has on the operator API, so a page handles both alike.
constexpr std::uint16_t kCloseRefused = 4000;
constexpr std::uint16_t kCloseTryAgainLater = 1013;

std::string error_message(int status, const std::string& message) {
  return nlohmann::json{{"type", "error"}, {"status", status}, {"message", message}}.dump();
}

}  // namespace

// One browser's connection: the sign-in message, then nothing more to say (the feed sends).
class LiveFeed::Viewer final : public http::WebSocketHandler {
 public:
  explicit Viewer(LiveFeed& feed) : feed_(feed) {}
  void on_open() override { feed_.admit(*this); }
  void on_message(std::string message) override { feed_.sign_in(*this, message); }
  void on_close() override { feed_.forget(*this); }

 private:
  LiveFeed& feed_;
};

LiveFeed::LiveFeed(LiveFeedSettings settings, OperatorAccess access, db::ConnectionPool& pool,
                   bus::JetStreamClient& bus, std::string stream,
                   std::vector<dlq::DeadLetterSource> sources, prometheus::Registry& metrics)
    : settings_(settings),
      access_(std::move(access)),
      pool_(pool),
      bus_(bus),
      stream_(std::move(stream)),
      views_(settings.window),
      tables_(std::move(sources)),
      viewers_gauge_(prometheus::BuildGauge()
                         .Name("choreo_dashboard_viewers")
                         .Help("Dashboards connected to the live stream (signed in or not)")
                         .Register(metrics)
                         .Add({})),
      thread_([this] { run(); }) {}

LiveFeed::~LiveFeed() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void LiveFeed::mount(http::Router& router) {
  http::WebSocketRoute route;
  route.factory = [this](const http::HttpRequest&,
                         std::shared_ptr<http::WebSocketConnection> connection) {
    return open(std::move(connection));
  };
  route.limits.message_limit = 16 * 1024;  // a sign-in message; tokens are small
  route.limits.send_queue_limit = settings_.send_queue_limit;
  router.websocket("/api/live", std::move(route));
}

std::shared_ptr<http::WebSocketHandler> LiveFeed::open(
    std::shared_ptr<http::WebSocketConnection> connection) {
  auto viewer = std::make_shared<Viewer>(*this);
  std::lock_guard lock(mutex_);
  viewers_.push_back({viewer, std::move(connection), Clock::now(), false});
  viewers_gauge_.Set(static_cast<double>(viewers_.size()));
  return viewer;
}

void LiveFeed::admit(const Viewer& viewer) {
  std::lock_guard lock(mutex_);
  if (viewers_.size() <= settings_.max_viewers)
    return;
  const auto entry = find(viewer);
  if (entry == viewers_.end())
    return;
  entry->connection->send_text(error_message(503, "too many dashboards are connected; try later"));
  entry->connection->close(kCloseTryAgainLater, "too many dashboards");
}

std::vector<LiveFeed::Entry>::iterator LiveFeed::find(const Viewer& viewer) {
  return std::find_if(viewers_.begin(), viewers_.end(), [&](const Entry& candidate) {
    return candidate.viewer.lock().get() == &viewer;
  });
}

void LiveFeed::sign_in(const Viewer& viewer, const std::string& message) {
  const auto json = nlohmann::json::parse(message, nullptr, false);
  std::optional<OperatorAccess::Refusal> refusal;
  if (!json.is_object() || json.value("type", "") != "sign_in" || !json.contains("token") ||
      !json["token"].is_string()) {
    refusal = OperatorAccess::Refusal{400, R"(send {"type": "sign_in", "token": "<token>"})"};
  } else {
    refusal = access_.refusal_of_token(json["token"].get<std::string>());
  }

  std::lock_guard lock(mutex_);
  const auto entry = find(viewer);
  if (entry == viewers_.end())
    return;
  if (refusal) {
    entry->connection->send_text(error_message(refusal->status, refusal->message));
    entry->connection->close(static_cast<std::uint16_t>(kCloseRefused + refusal->status),
                             refusal->message);
    return;
  }
  if (entry->signed_in)
    return;
  entry->signed_in = true;
  entry->connection->send_text(nlohmann::json{{"type", "signed_in"}}.dump());
  if (latest_)
    entry->connection->send_text(*latest_);
  wake_.notify_all();
}

void LiveFeed::forget(const Viewer& viewer) {
  std::lock_guard lock(mutex_);
  std::erase_if(viewers_, [&](const Entry& entry) {
    const auto held = entry.viewer.lock();
    return !held || held.get() == &viewer;
  });
  viewers_gauge_.Set(static_cast<double>(viewers_.size()));
}

void LiveFeed::run() {
  auto next_tables = Clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Viewers that never signed in are let go; nobody signed in means no work at all.
    std::vector<std::shared_ptr<http::WebSocketConnection>> audience;
    for (auto& entry : viewers_) {
      if (entry.signed_in) {
        audience.push_back(entry.connection);
      } else if (Clock::now() - entry.opened > settings_.sign_in_timeout) {
        entry.connection->send_text(error_message(401, "sign in with an operator's token"));
        entry.connection->close(static_cast<std::uint16_t>(kCloseRefused + 401), "no sign-in");
      }
    }
    if (!audience.empty()) {
      lock.unlock();
      const bool refresh_tables = Clock::now() >= next_tables;
      if (refresh_tables)
        next_tables = Clock::now() + settings_.tables_every;
      auto snapshot = std::make_shared<const std::string>(build_snapshot(refresh_tables));
      for (const auto& connection : audience)
        connection->send_text(*snapshot);
      lock.lock();
      latest_ = std::move(snapshot);
    }
    wake_.wait_for(lock, settings_.tick);
  }
}

std::string LiveFeed::build_snapshot(bool refresh_tables) {
  const auto now = runtime::now_ns();
  auto unreachable = nlohmann::ordered_json::array();
  std::vector<bus::ConsumerState> consumers;
  try {
    consumers = bus_.consumer_states(stream_);
  } catch (const std::exception& failure) {
    unreachable.push_back("NATS: " + logging::one_line(failure.what()));
  }
  if (refresh_tables || overview_.is_null()) {
    try {
      auto lease = pool_.acquire();
      pqxx::read_transaction tx(*lease, "dashboard_overview");
      overview_ = views_.overview(tx, consumers);
    } catch (const std::exception& failure) {
      spdlog::warn("dashboard: the event log did not answer: {}", db::describe(failure));
      unreachable.push_back("the event log: " + logging::one_line(db::describe(failure)));
    }
    pipeline_ = tables_.read();
    if (!overview_.is_null()) {
      history_.push_back({{"at", overview_["collected_at"]},
                          {"throughput", overview_["throughput"]},
                          {"latency", overview_["latency"]},
                          {"recent", overview_["events"]}});
      while (history_.size() > settings_.history)
        history_.pop_front();
    }
  }

  nlohmann::ordered_json snapshot;
  snapshot["type"] = "snapshot";
  snapshot["at"] = runtime::iso_time_from_ns(now);
  auto lag = nlohmann::ordered_json::array();
  for (const auto& consumer : consumers)
    lag.push_back(bus::consumer_json(consumer, now));
  snapshot["consumers"] = std::move(lag);
  snapshot["overview"] = overview_;
  if (snapshot["overview"].is_object())
    snapshot["overview"].erase("consumers");  // the fresher ones are above
  snapshot["outboxes"] = pipeline_.value("outboxes", nlohmann::ordered_json::array());
  snapshot["dead_letters"] = pipeline_.value("dead_letters", nlohmann::ordered_json::array());
  for (const auto& problem : pipeline_.value("unreachable", nlohmann::ordered_json::array()))
    unreachable.push_back(problem);
  snapshot["unreachable"] = std::move(unreachable);
  auto history = nlohmann::ordered_json::array();
  for (const auto& sample : history_)
    history.push_back(sample);
  snapshot["history"] = std::move(history);
  return snapshot.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace choreo::event_monitor
