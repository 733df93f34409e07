#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "bus/bus_settings.hpp"
#include "bus/core_subscription.hpp"
#include "bus/nats_handles.hpp"
#include "bus/received_message.hpp"

namespace choreo::bus {

struct OutgoingMessage {
  std::string subject;
  std::string payload;
  std::string msg_id;  // becomes Nats-Msg-Id: the server drops a repeat within the window
  std::map<std::string, std::string> headers{};  // any others (traceparent)
};

struct PublishOutcome {
  bool stored = false;     // the stream has it (now, or from an earlier publish of the same id)
  bool duplicate = false;  // the server recognised the id and did not store it again
  std::uint64_t sequence = 0;
  std::string error;  // when !stored
};

struct ConsumerState {
  std::string name;  // the durable's
  std::string filter_subject;
  std::uint64_t num_pending = 0;     // not yet delivered
  std::int64_t num_ack_pending = 0;  // delivered, not yet acked
  std::int64_t max_ack_pending = 0;  // the consumer's limit on num_ack_pending (-1: none)
  std::int64_t num_redelivered = 0;
  std::int64_t num_waiting = 0;  // open pull requests
  std::uint64_t delivered_stream_sequence = 0;
  std::uint64_t ack_floor_stream_sequence = 0;
  std::int64_t last_delivered_ns = 0;  // UTC, ns since the epoch; 0 when nothing was delivered
  std::int64_t last_acked_ns = 0;      // the same for the ack floor
};

struct StreamState {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::uint64_t first_sequence = 0;
  std::uint64_t last_sequence = 0;
  std::int64_t duplicate_window_ns = 0;
  int storage = 0;  // jsStorageType
  std::vector<std::string> subjects;
};

// A message read directly from the stream by sequence (dead-letter replay, audits).
struct StoredMessage {
  std::string subject;
  std::string data;
  std::map<std::string, std::string> headers;
  std::uint64_t sequence = 0;
};

class PullConsumer;

// One NATS connection with its JetStream context. The connection retries the initial connect
// and reconnects forever in the background, so a service rides out NATS restarts; operations
// fail with a transient NatsError meanwhile.
class JetStreamClient {
 public:
  explicit JetStreamClient(NatsSettings settings);
  ~JetStreamClient();
  JetStreamClient(const JetStreamClient&) = delete;
  JetStreamClient& operator=(const JetStreamClient&) = delete;

  bool connected() const;
  // Waits (polling) until the background connect succeeds: for tools that should answer "NATS
  // is not reachable" after a moment rather than fail on the first try. False on timeout.
  bool wait_until_connected(std::chrono::milliseconds timeout) const;

  // Creates the stream, or widens an existing one to these settings.
  void ensure_stream(const StreamSettings& settings);
  StreamState stream_state(const std::string& stream);

  // Creates the durable pull consumer (or updates its settings) and subscribes to it.
  // The server-side MaxDeliver is unlimited: our consumer runtime enforces MAX_DELIVER itself, so
  // a message whose last attempt could not even be recorded (database down) is redelivered
  // instead of silently dropped by the server (docs/reliability.md).
  std::unique_ptr<PullConsumer> pull_consumer(const ConsumerSettings& settings);
  ConsumerState consumer_state(const std::string& stream, const std::string& durable);
  // Every consumer of the stream, by name.
  std::vector<ConsumerState> consumer_states(const std::string& stream);

  PublishOutcome publish(const OutgoingMessage& message);
  // Publishes all messages asynchronously and waits for every ack (up to `timeout`); outcomes are
  // in input order. One batch at a time per client.
  std::vector<PublishOutcome> publish_batch(std::span<const OutgoingMessage> messages,
                                            std::chrono::milliseconds timeout);

  StoredMessage get_message(const std::string& stream, std::uint64_t sequence);

  // A core NATS subscription on `subject` (live messages only; see CoreSubscription). Works
  // before the first connect succeeds too: the library sends it once connected.
  std::unique_ptr<CoreSubscription> subscribe(const std::string& subject,
                                              CoreMessageHandler handler);

  // Flushes pending acks and closes the connection (bounded by `timeout`).
  void drain(std::chrono::milliseconds timeout);

  jsCtx* context() { return js_.get(); }

 private:
  static void on_publish_ack(jsCtx* js, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error,
                             void* closure);
  void record_ack(natsMsg* msg, jsPubAck* ack, jsPubAckErr* error);

  NatsSettings settings_;
  OptionsHandle options_;
  ConnectionHandle connection_;
  JsContextHandle js_;

  std::mutex batch_mutex_;  // one publish_batch at a time
  std::mutex acks_mutex_;   // guards acks_, written from the nats.c delivery thread
  std::map<std::string, PublishOutcome> acks_;
};

// A subscription bound to a durable pull consumer.
class PullConsumer {
 public:
  // Sends pull requests to `next_subject` ($JS.API.CONSUMER.MSG.NEXT.<stream>.<durable>) on
  // `connection`, which must outlive this object.
  PullConsumer(natsConnection* connection, std::string next_subject, ConsumerSettings settings);

  // What is available right now (including messages already buffered for an earlier pull
  // request), without waiting for more.
  std::vector<ReceivedMessage> fetch_available(int batch);
  // Waits up to `wait` for the first message only (an empty vector when none came), then adds
  // whatever else is available at once, up to `batch`: a quiet system's per-hop latency stays at
  // a round trip while a busy one still gets full batches. Throws NatsError on connection
  // problems.
  std::vector<ReceivedMessage> fetch_ready(int batch, std::chrono::milliseconds wait);

  // Messages (and pull status notices) already received for earlier pull requests but not yet
  // taken by a fetch. Sends nothing to the server.
  std::size_t buffered() const;

  const ConsumerSettings& settings() const { return settings_; }

 private:
  // Sends one pull request for what `batch` still lacks after the messages already buffered,
  // and collects until it is served, ends (404/408) or expires. Throws NatsError when nothing
  // was delivered and the request failed.
  std::vector<ReceivedMessage> pull(int batch, std::chrono::milliseconds expires, bool no_wait);
  void take_buffered(std::vector<ReceivedMessage>& messages, std::size_t batch);
  static bool is_status(natsMsg* message);

  natsConnection* connection_;
  std::string next_subject_;
  std::string inbox_;  // request N is answered on <inbox_>.N
  std::uint64_t requests_ = 0;
  SubscriptionHandle subscription_;
  ConsumerSettings settings_;
};

}  // namespace choreo::bus
