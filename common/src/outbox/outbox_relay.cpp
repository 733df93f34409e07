#include "outbox/outbox_relay.hpp"

#include "outbox/outbox_backlog.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <pqxx/pqxx>

#include "bus/headers_json.hpp"
#include "db/errors.hpp"
#include "logging/log_context.hpp"
#include "runtime/interruptible_sleep.hpp"
#include "tracing/trace_context.hpp"

namespace choreo::outbox {
namespace {

using runtime::interruptible_sleep;

using Clock = std::chrono::steady_clock;

constexpr auto kBacklogRefreshInterval = std::chrono::seconds(5);

std::string id_array(const std::vector<long long>& ids) {
  std::string text = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0)
      text += ',';
    text += std::to_string(ids[i]);
  }
  return text + "}";
}

// One debug line per published event, carrying its trace (the relay is a hop of the order's
// journey like any consumer).
void log_published(const std::string& source, const bus::OutgoingMessage& message) {
  const auto traceparent = message.headers.find(tracing::kTraceparentHeader);
  const auto trace = traceparent == message.headers.end()
                         ? std::nullopt
                         : tracing::parse_traceparent(traceparent->second);
  logging::LogScope scope({trace ? trace->trace_id : "", "", message.msg_id});
  spdlog::debug("outbox {}: published {}", source, message.subject);
}

}  // namespace

bool try_lock_relay(pqxx::connection& connection, const std::string& source) {
  pqxx::nontransaction tx(connection);
  if (!tx.exec_params1("SELECT pg_try_advisory_lock(hashtext('outbox-relay:' || $1))", source)[0]
           .as<bool>())
    return false;
  // Each "published" mark leaves the row's old version, dead, in tb_outbox_unpublished_idx until
  // VACUUM. An index scan in id order flags the dead entries it passes, and the next poll steps
  // over them cheaply; a bitmap scan flags nothing and rereads every dead row's page on every
  // poll. The planner picks the bitmap scan when its estimate of unpublished rows is small, and
  // on a fresh table a poll then took 50 ms after 100,000 events.
  tx.exec("SET enable_bitmapscan = off");
  return true;
}

OutboxRelay::OutboxRelay(OutboxRelaySettings settings, db::ConnectionPool& pool,
                         bus::JetStreamClient& bus, const runtime::FaultPoints& faults,
                         prometheus::Registry& metrics)
    : settings_(std::move(settings)),
      pool_(pool),
      bus_(bus),
      faults_(faults),
      published_(prometheus::BuildCounter()
                     .Name("choreo_outbox_published_total")
                     .Help("Outbox rows published to JetStream")
                     .Register(metrics)
                     .Add({{"source", settings_.source}})),
      publish_failures_(prometheus::BuildCounter()
                            .Name("choreo_outbox_publish_failures_total")
                            .Help("Outbox rows whose publish was not acknowledged (retried)")
                            .Register(metrics)
                            .Add({{"source", settings_.source}})),
      leader_(prometheus::BuildGauge()
                  .Name("choreo_outbox_relay_active")
                  .Help("1 when this instance holds the relay lock for its source")
                  .Register(metrics)
                  .Add({{"source", settings_.source}})),
      backlog_(prometheus::BuildGauge()
                   .Name("choreo_outbox_backlog_messages")
                   .Help("Outbox rows of the source not yet published (reported by the instance "
                         "whose relay is active)")
                   .Register(metrics)
                   .Add({{"source", settings_.source}})),
      oldest_age_(prometheus::BuildGauge()
                      .Name("choreo_outbox_oldest_unpublished_age_seconds")
                      .Help("Age of the oldest unpublished outbox row of the source (0: none)")
                      .Register(metrics)
                      .Add({{"source", settings_.source}})) {}

OutboxRelay::~OutboxRelay() {
  stop();
}

void OutboxRelay::wake() {
  {
    std::lock_guard lock(wake_mutex_);
    woken_ = true;
  }
  wake_condition_.notify_one();
}

void OutboxRelay::start() {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
}

void OutboxRelay::stop(std::chrono::milliseconds flush_timeout) {
  if (!thread_.joinable())
    return;
  flush_timeout_ = flush_timeout;
  thread_.request_stop();
  thread_.join();
}

std::size_t OutboxRelay::relay_batch(pqxx::connection& connection) {
  std::vector<long long> ids;
  std::vector<bus::OutgoingMessage> messages;
  {
    pqxx::nontransaction tx(connection);
    const auto rows = tx.exec_params(
        "SELECT pk_outbox, event_id::text, subject, payload::text, headers::text FROM tb_outbox "
        "WHERE source = $1 AND published_at IS NULL ORDER BY pk_outbox LIMIT $2",
        settings_.source, settings_.batch_size);
    ids.reserve(rows.size());
    messages.reserve(rows.size());
    for (const auto& row : rows) {
      ids.push_back(row[0].as<long long>());
      messages.push_back({row[2].as<std::string>(), row[3].as<std::string>(),
                          row[1].as<std::string>(), bus::headers_from_json(row[4].c_str())});
    }
  }
  if (messages.empty())
    return 0;

  const auto outcomes = bus_.publish_batch(messages, settings_.publish_timeout);
  faults_.reach("after_publish_before_mark_sent");

  std::vector<long long> stored;
  stored.reserve(ids.size());
  std::string first_error;
  const bool log_each = spdlog::should_log(spdlog::level::debug);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].stored) {
      stored.push_back(ids[i]);
      if (log_each)
        log_published(settings_.source, messages[i]);
    } else if (first_error.empty()) {
      first_error = outcomes[i].error;
    }
  }
  if (!stored.empty()) {
    // One statement is atomic on its own: no BEGIN and COMMIT round trips around it.
    pqxx::nontransaction tx(connection, "outbox_mark_sent");
    tx.exec_params("UPDATE tb_outbox SET published_at = now() WHERE pk_outbox = ANY($1::bigint[])",
                   id_array(stored));
    published_.Increment(static_cast<double>(stored.size()));
  }
  if (stored.size() < ids.size()) {
    publish_failures_.Increment(static_cast<double>(ids.size() - stored.size()));
    throw std::runtime_error("JetStream did not take " +
                             std::to_string(ids.size() - stored.size()) + " of " +
                             std::to_string(ids.size()) + " events: " + first_error);
  }
  return stored.size();
}

std::size_t OutboxRelay::drain(pqxx::connection& connection, Clock::time_point deadline) {
  std::size_t total = 0;
  while (Clock::now() < deadline) {
    const auto published = relay_batch(connection);
    total += published;
    if (published < static_cast<std::size_t>(settings_.batch_size))
      break;
  }
  return total;
}

void OutboxRelay::refresh_backlog_when_due(pqxx::connection& connection) {
  if (Clock::now() < next_backlog_refresh_)
    return;
  next_backlog_refresh_ = Clock::now() + kBacklogRefreshInterval;
  pqxx::nontransaction tx(connection, "outbox_backlog");
  const auto backlog = read_outbox_backlog(tx, "tb_outbox", settings_.source);
  backlog_.Set(static_cast<double>(backlog.unpublished));
  oldest_age_.Set(backlog.oldest_age_seconds);
}

void OutboxRelay::prune(pqxx::connection& connection) {
  pqxx::work tx(connection, "outbox_prune");
  const auto result = tx.exec_params(
      "DELETE FROM tb_outbox WHERE source = $1 AND published_at < now() - make_interval(hours => "
      "$2)",
      settings_.source, static_cast<int>(settings_.retention.count()));
  tx.commit();
  if (result.affected_rows() > 0) {
    spdlog::info("outbox {}: pruned {} published rows", settings_.source, result.affected_rows());
  }
}

void OutboxRelay::loop(std::stop_token stop) {
  auto error_backoff = std::chrono::milliseconds(200);
  auto next_prune = Clock::now();
  while (!stop.stop_requested()) {
    std::unique_ptr<pqxx::connection> connection;
    try {
      connection = pool_.open_dedicated();
      // The lock belongs to this session: if the process dies, the server releases it and a
      // standby takes over.
      if (!try_lock_relay(*connection, settings_.source)) {
        interruptible_sleep(stop, settings_.standby_retry);
        continue;
      }
      active_ = true;
      leader_.Set(1);
      spdlog::info("outbox relay for {} active", settings_.source);
      error_backoff = std::chrono::milliseconds(200);
      while (!stop.stop_requested()) {
        refresh_backlog_when_due(*connection);
        const auto published = relay_batch(*connection);
        if (published == static_cast<std::size_t>(settings_.batch_size))
          continue;
        if (Clock::now() >= next_prune) {
          prune(*connection);
          next_prune = Clock::now() + std::chrono::minutes(10);
        }
        // Until woken (a commit in this process), the next poll, or stop.
        std::unique_lock lock(wake_mutex_);
        wake_condition_.wait_for(lock, stop, settings_.poll_interval, [this] { return woken_; });
        woken_ = false;
      }
      // Shutting down: publish what is committed already, so nothing waits for the next start.
      // Not while NATS is away: each attempt would wait out the publish timeout, and the rows are
      // safe in the table for the next start.
      if (bus_.connected()) {
        const auto flushed = drain(*connection, Clock::now() + flush_timeout_);
        if (flushed > 0)
          spdlog::info("outbox {}: flushed {} rows on shutdown", settings_.source, flushed);
      }
    } catch (const std::exception& error) {
      spdlog::warn("outbox relay for {}: {}; retrying in {} ms", settings_.source,
                   db::describe(error), error_backoff.count());
      interruptible_sleep(stop, error_backoff);
      error_backoff = std::min(error_backoff * 2, std::chrono::milliseconds(5000));
    }
    active_ = false;
    leader_.Set(0);
  }
}

}  // namespace choreo::outbox
