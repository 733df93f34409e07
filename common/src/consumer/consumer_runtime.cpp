#include "consumer/consumer_runtime.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <optional>
#include <pqxx/pqxx>
#include <thread>

#include "bus/nats_error.hpp"
#include "consumer/dead_letters.hpp"
#include "consumer/settlement.hpp"
#include "db/errors.hpp"
#include "db/savepoint.hpp"
#include "events/payloads.hpp"
#include "inbox/inbox.hpp"
#include "logging/log_context.hpp"
#include "runtime/interruptible_sleep.hpp"
#include "tracing/trace_context.hpp"

namespace choreo::consumer {
namespace {

using runtime::interruptible_sleep;

using Clock = std::chrono::steady_clock;

// Often enough to follow a backlog on a dashboard, rare enough to cost the server nothing.
constexpr auto kLagRefreshInterval = std::chrono::seconds(5);

// What a settled message's log lines are about: its trace, order and event.
logging::LogContext log_context_of(const std::optional<events::Event>& event) {
  if (!event)
    return {};
  return {event->trace ? event->trace->trace_id : "", event->order_id().value_or(""), event->id};
}

}  // namespace

struct ConsumerRuntime::Pending {
  explicit Pending(bus::ReceivedMessage received) : message(std::move(received)) {}

  bus::ReceivedMessage message;
  std::optional<events::Event> event;
  std::optional<Settlement> settlement;  // decided before the transaction, or inside it
  bool duplicate = false;
  std::function<void()> after_commit;
  bool dead_letter_recorded = false;  // this batch wrote its tb_dead_letter row

  // Choreo-Event-Id (a dead-letter replay) before Nats-Msg-Id: see events::kEventIdHeader.
  std::optional<std::string> carried_event_id() const {
    return events::carried_event_id(message.header(events::kEventIdHeader),
                                    message.header(events::kMsgIdHeader));
  }
};

ConsumerRuntime::ConsumerRuntime(ConsumerRuntimeSettings settings, bus::JetStreamClient& bus,
                                 db::ConnectionPool& pool, EventHandler& handler,
                                 const runtime::FaultPoints& faults, prometheus::Registry& metrics)
    : settings_(std::move(settings)),
      bus_(bus),
      pool_(pool),
      handler_(handler),
      faults_(faults),
      metrics_(metrics, settings_.consumer.durable) {}

ConsumerRuntime::~ConsumerRuntime() {
  stop();
}

void ConsumerRuntime::start() {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
}

void ConsumerRuntime::request_stop() {
  if (thread_.joinable())
    thread_.request_stop();
}

void ConsumerRuntime::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
    spdlog::info("consumer {} stopped", settings_.consumer.durable);
  }
}

bool ConsumerRuntime::ensure_subscribed() {
  if (consumer_)
    return true;
  try {
    consumer_ = bus_.pull_consumer(settings_.consumer);
    subscribed_ = true;
    spdlog::info("consumer {} fetching {} (batch {}, ack wait {} ms, MAX_DELIVER {})",
                 settings_.consumer.durable, settings_.consumer.filter_subject,
                 settings_.batch_size, settings_.consumer.ack_wait.count(),
                 settings_.retry.max_deliver);
    return true;
  } catch (const std::exception& error) {
    spdlog::warn("consumer {}: cannot subscribe yet: {}", settings_.consumer.durable, error.what());
    return false;
  }
}

void ConsumerRuntime::loop(std::stop_token stop) {
  auto idle_backoff = std::chrono::milliseconds(200);
  while (!stop.stop_requested()) {
    try {
      if (!ensure_subscribed()) {
        interruptible_sleep(stop, idle_backoff);
        idle_backoff = std::min(idle_backoff * 2, std::chrono::milliseconds(5000));
        continue;
      }
      prune_inbox_when_due();
      refresh_lag_when_due();
      auto received = consumer_->fetch_ready(settings_.batch_size, settings_.fetch_wait);
      idle_backoff = std::chrono::milliseconds(200);
      if (received.empty())
        continue;
      std::vector<Pending> batch;
      batch.reserve(received.size());
      for (auto& message : received)
        batch.emplace_back(std::move(message));
      // The batch is finished even when stop is requested meanwhile: its messages are ours until
      // settled, and settling them now spares a redelivery.
      process(batch);
    } catch (const std::exception& error) {
      spdlog::warn("consumer {}: fetch failed: {}; retrying in {} ms", settings_.consumer.durable,
                   error.what(), idle_backoff.count());
      interruptible_sleep(stop, idle_backoff);
      idle_backoff = std::min(idle_backoff * 2, std::chrono::milliseconds(5000));
    }
  }
  release_unprocessed();
}

void ConsumerRuntime::refresh_lag_when_due() {
  if (Clock::now() < next_lag_refresh_)
    return;
  next_lag_refresh_ = Clock::now() + kLagRefreshInterval;
  try {
    const auto state = bus_.consumer_state(settings_.consumer.stream, settings_.consumer.durable);
    metrics_.pending.Set(static_cast<double>(state.num_pending));
    metrics_.ack_pending.Set(static_cast<double>(state.num_ack_pending));
    metrics_.redelivered.Set(static_cast<double>(state.num_redelivered));
    metrics_.waiting_pulls.Set(static_cast<double>(state.num_waiting));
  } catch (const std::exception& error) {
    // The gauges keep their last values; the fetch that follows reports an unreachable server.
    spdlog::debug("consumer {}: reading its state failed: {}", settings_.consumer.durable,
                  error.what());
  }
}

void ConsumerRuntime::prune_inbox_when_due() {
  if (settings_.idempotency != Idempotency::inbox || Clock::now() < next_inbox_prune_)
    return;
  next_inbox_prune_ = Clock::now() + settings_.inbox_prune_interval;
  try {
    auto lease = pool_.acquire();
    pqxx::work tx(*lease, "inbox_prune");
    const auto pruned = inbox::prune(tx, settings_.consumer.durable, settings_.inbox_retention);
    tx.commit();
    if (pruned > 0)
      spdlog::info("consumer {}: pruned {} old inbox rows", settings_.consumer.durable, pruned);
  } catch (const std::exception& error) {
    spdlog::warn("consumer {}: inbox pruning failed: {}", settings_.consumer.durable,
                 db::describe(error));
  }
}

void ConsumerRuntime::release_unprocessed() {
  if (!consumer_)
    return;
  // A pull request may stay open at the server for up to fetch_wait after our last fetch
  // returned, and deliver into our buffer meanwhile. Once it has expired, hand back whatever we
  // hold but will not process (nak without delay), so another instance gets it at once instead
  // of after ACK_WAIT. Only what is already buffered: a fetch asking the server for more would
  // be handed our own naks back, each time using up a delivery attempt.
  std::this_thread::sleep_for(settings_.fetch_wait);
  const auto held = consumer_->buffered();
  if (held == 0)
    return;
  std::size_t released = 0;
  try {
    auto leftovers = consumer_->fetch_available(static_cast<int>(held));
    for (auto& message : leftovers)
      message.nak(std::chrono::milliseconds(0));
    released = leftovers.size();
  } catch (const std::exception& error) {
    spdlog::debug("consumer {}: releasing unprocessed messages: {}", settings_.consumer.durable,
                  error.what());
  }
  if (released > 0) {
    spdlog::info("consumer {}: handed back {} fetched but unprocessed message(s)",
                 settings_.consumer.durable, released);
  }
}

std::size_t ConsumerRuntime::run_once() {
  if (!ensure_subscribed())
    return 0;
  auto received = consumer_->fetch_ready(settings_.batch_size, settings_.fetch_wait);
  std::vector<Pending> batch;
  for (auto& message : received)
    batch.emplace_back(std::move(message));
  if (!batch.empty())
    process(batch);
  return batch.size();
}

void ConsumerRuntime::settle_pending(Pending& pending, Outcome outcome) {
  pending.duplicate = outcome.kind == Outcome::Kind::duplicate;
  if (pending.duplicate) {
    pending.settlement = Settlement{};
    pending.after_commit = nullptr;
  } else {
    pending.settlement = settle(outcome, pending.event->delivery_attempt, settings_.retry);
    pending.after_commit = std::move(outcome.after_commit);
  }
}

bool ConsumerRuntime::handle_together(std::vector<Pending>& batch, pqxx::transaction_base& tx) {
  std::vector<Pending*> fresh;
  fresh.reserve(batch.size());
  if (settings_.idempotency == Idempotency::inbox) {
    std::vector<inbox::Claim> claims;
    claims.reserve(batch.size());
    for (const auto& pending : batch) {
      if (pending.event)
        claims.push_back({pending.event->id, pending.event->delivery_attempt});
    }
    auto claimed = inbox::claim_all(tx, settings_.consumer.durable, claims);
    for (auto& pending : batch) {
      if (!pending.event)
        continue;
      // erase: a second copy of one event within the batch is a repeat of the first.
      if (claimed.erase(pending.event->id) == 1) {
        fresh.push_back(&pending);
      } else {
        settle_pending(pending, Outcome::duplicate());
      }
    }
  } else {
    for (auto& pending : batch) {
      if (pending.event)
        fresh.push_back(&pending);
    }
  }
  if (fresh.empty())
    return true;

  std::vector<const events::Event*> events;
  events.reserve(fresh.size());
  for (const auto* pending : fresh)
    events.push_back(&*pending->event);
  std::vector<Outcome> outcomes;
  try {
    outcomes = handler_.handle_all(events, tx);
  } catch (const std::exception& error) {
    if (db::breaks_connection(error) || db::is_transient(error))
      throw;
    return false;  // which event failed, and how, the isolated run finds out
  }
  if (outcomes.size() != fresh.size())
    return false;
  for (const auto& outcome : outcomes) {
    if (outcome.kind != Outcome::Kind::done && outcome.kind != Outcome::Kind::duplicate)
      return false;
  }
  for (std::size_t i = 0; i < fresh.size(); ++i)
    settle_pending(*fresh[i], std::move(outcomes[i]));
  return true;
}

void ConsumerRuntime::handle_isolated(std::vector<Pending>& batch, pqxx::transaction_base& tx) {
  const auto& durable = settings_.consumer.durable;
  for (auto& pending : batch) {
    if (!pending.event)
      continue;
    const auto attempt = pending.event->delivery_attempt;
    Outcome outcome;
    {
      db::Savepoint savepoint(tx);
      try {
        if (settings_.idempotency == Idempotency::inbox &&
            !inbox::claim(tx, durable, {pending.event->id, attempt})) {
          outcome = Outcome::duplicate();
          savepoint.release();
        } else if (exceeded_deliveries(attempt, settings_.retry)) {
          savepoint.rollback();
          outcome = Outcome::dead_letter(
              "delivered " + std::to_string(attempt) +
              " times without being settled (earlier attempts crashed or timed out)");
        } else {
          outcome = handler_.handle(*pending.event, tx);
          if (outcome.kind == Outcome::Kind::done || outcome.kind == Outcome::Kind::duplicate) {
            savepoint.release();
          } else {
            savepoint.rollback();
          }
        }
      } catch (const events::PayloadError& error) {
        savepoint.rollback();
        outcome = Outcome::dead_letter(std::string("invalid payload: ") + error.what());
      } catch (const std::exception& error) {
        // A deadlock, a serialization failure or a lost connection is no fault of the message:
        // the whole batch is retried in place (by process) instead of the message being
        // redelivered, which would use up one of its MAX_DELIVER attempts.
        if (db::breaks_connection(error) || db::is_transient(error))
          throw;
        savepoint.rollback();
        outcome = Outcome::retry(db::describe(error));
      }
    }
    settle_pending(pending, std::move(outcome));
  }
}

void ConsumerRuntime::process(std::vector<Pending>& batch) {
  const auto started = Clock::now();
  const auto& durable = settings_.consumer.durable;

  // Decide what needs no database first: undecodable messages and crash loops.
  bool isolate = false;  // run each event in a savepoint of its own
  for (auto& pending : batch) {
    const auto& delivery = pending.message.delivery();
    auto decoded = events::decode_event(pending.message.subject(), pending.message.data(),
                                        pending.carried_event_id(), delivery.stream_sequence,
                                        delivery.num_delivered);
    if (auto* failure = std::get_if<events::DecodeError>(&decoded)) {
      pending.settlement = settle(Outcome::dead_letter("undecodable: " + failure->reason),
                                  delivery.num_delivered, settings_.retry);
      continue;
    }
    pending.event = std::move(std::get<events::Event>(decoded));
    pending.event->published_at_ns = delivery.timestamp_ns;
    if (const auto traceparent = pending.message.header(tracing::kTraceparentHeader)) {
      if (const auto parent = tracing::parse_traceparent(*traceparent))
        pending.event->trace = parent->child();
    }
    // A crash loop's dead letter must leave no inbox claim behind, which only a savepoint undoes.
    if (exceeded_deliveries(pending.event->delivery_attempt, settings_.retry))
      isolate = true;
  }

  // Transient failures of the whole batch (database unreachable, serialization conflicts) are
  // retried here, holding the messages, rather than by redelivery: an outage must not use up a
  // message's MAX_DELIVER attempts and turn healthy events into dead letters.
  // The pause between rounds stays under half the ack wait: each round tells the server the
  // messages are still being worked on, and a longer silence would have them redelivered (a
  // delivery attempt used up) while we still hold them.
  const auto longest_retry_wait =
      std::clamp(settings_.consumer.ack_wait / 2, std::chrono::milliseconds(100),
                 std::chrono::milliseconds(5000));
  auto retry_wait = std::min(std::chrono::milliseconds(200), longest_retry_wait);
  for (int round = 1;;) {
    try {
      auto lease = pool_.acquire();
      try {
        pqxx::work tx(*lease, "consumer_batch");
        if (isolate) {
          handle_isolated(batch, tx);
        } else if (!handle_together(batch, tx)) {
          // Rolled back as tx goes out of scope; the same round runs again, event by event.
          isolate = true;
          metrics_.isolated_batches.Increment();
          continue;
        }
        for (auto& pending : batch) {
          if (!pending.settlement || !pending.settlement->dead_letter)
            continue;
          const auto& delivery = pending.message.delivery();
          pending.dead_letter_recorded = record_dead_letter(
              tx, DeadLetter{
                      durable, std::string(pending.message.subject()), delivery.stream_sequence,
                      pending.event ? std::optional(pending.event->id) : pending.carried_event_id(),
                      pending.message.headers(), std::string(pending.message.data()),
                      pending.settlement->reason, delivery.num_delivered});
        }
        faults_.reach("before_commit");
        tx.commit();
        if (on_commit_)
          on_commit_();
        break;
      } catch (const std::exception& error) {
        if (db::breaks_connection(error))
          lease.mark_broken();
        throw;
      }
    } catch (const std::exception& error) {
      metrics_.failed_batches.Increment();
      if (!db::is_transient(error) || thread_.get_stop_token().stop_requested()) {
        fail_batch(batch, db::describe(error));
        return;
      }
      if (round == 1 || round % 10 == 0) {
        spdlog::warn("consumer {}: batch of {} not committed ({}); retrying (round {})", durable,
                     batch.size(), db::describe(error), round);
      }
      for (auto& pending : batch)
        pending.message.in_progress();
      interruptible_sleep(thread_.get_stop_token(), retry_wait);
      retry_wait = std::min(retry_wait * 2, longest_retry_wait);
      ++round;
    }
  }

  faults_.reach("after_commit_before_ack");

  const auto settled_at_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  const bool log_each = spdlog::should_log(spdlog::level::debug);
  for (auto& pending : batch) {
    logging::LogScope scope(log_context_of(pending.event));
    if (pending.after_commit)
      pending.after_commit();
    const auto& settlement = *pending.settlement;
    switch (settlement.action) {
      case Settlement::Action::ack:
        pending.message.ack();
        if (log_each) {
          spdlog::debug("consumer {}: {} {} (delivery {})", durable,
                        pending.duplicate ? "acknowledged a repeat of" : "handled",
                        pending.message.subject(), pending.message.delivery().num_delivered);
        }
        (pending.duplicate ? metrics_.duplicates : metrics_.processed).Increment();
        if (const auto stored_ns = pending.message.delivery().timestamp_ns; stored_ns > 0) {
          metrics_.event_age_seconds.Observe(
              std::max<double>(0, static_cast<double>(settled_at_ns - stored_ns) / 1e9));
        }
        break;
      case Settlement::Action::nak:
        pending.message.nak(settlement.delay);
        metrics_.retried.Increment();
        spdlog::warn("consumer {}: event {} attempt {} failed: {}; retrying in {} ms", durable,
                     pending.event ? pending.event->id : "?",
                     pending.message.delivery().num_delivered, settlement.reason,
                     settlement.delay.count());
        break;
      case Settlement::Action::term:
        pending.message.term();
        // Counted once per committed tb_dead_letter row: a redelivery of a message whose row
        // was already written (a crash between commit and term) is terminated again, not
        // counted again.
        if (settlement.dead_letter && pending.dead_letter_recorded) {
          metrics_.dead_letters.Increment();
          spdlog::error("consumer {}: dead letter (stream seq {}): {}", durable,
                        pending.message.delivery().stream_sequence, settlement.reason);
        } else if (settlement.dead_letter) {
          spdlog::warn("consumer {}: stream seq {} was already a dead letter; terminated again",
                       durable, pending.message.delivery().stream_sequence);
        }
        break;
    }
  }
  const auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
  metrics_.batch_seconds.Observe(seconds);
  metrics_.batch_size.Observe(static_cast<double>(batch.size()));
}

void ConsumerRuntime::fail_batch(std::vector<Pending>& batch, const std::string& why) {
  spdlog::error("consumer {}: batch of {} rolled back: {}; redelivering",
                settings_.consumer.durable, batch.size(), why);
  for (auto& pending : batch) {
    pending.message.nak(settings_.retry.delay_after(pending.message.delivery().num_delivered));
  }
}

}  // namespace choreo::consumer
