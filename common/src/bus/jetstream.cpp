#include "bus/jetstream.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "bus/nats_error.hpp"

namespace choreo::bus {
namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr const char* kMsgIdHeader = "Nats-Msg-Id";

void on_disconnected(natsConnection* connection, void*) {
  // Closing our own connection disconnects it too: no warning for what was asked for.
  if (natsConnection_IsClosed(connection)) {
    spdlog::debug("NATS connection closed");
    return;
  }
  spdlog::warn("NATS disconnected; reconnecting in the background");
}
void on_reconnected(natsConnection* connection, void*) {
  char url[256] = {0};
  natsConnection_GetConnectedUrl(connection, url, sizeof url);
  spdlog::info("NATS connection re-established ({})", url);
}
void on_connected(natsConnection* connection, void*) {
  char url[256] = {0};
  natsConnection_GetConnectedUrl(connection, url, sizeof url);
  spdlog::info("NATS connected ({})", url);
}
void on_error(natsConnection*, natsSubscription*, natsStatus status, void*) {
  spdlog::warn("NATS asynchronous error: {}", natsStatus_GetText(status));
}

MessageHandle make_message(const OutgoingMessage& message) {
  natsMsg* raw = nullptr;
  check(natsMsg_Create(&raw, message.subject.c_str(), nullptr, message.payload.data(),
                       static_cast<int>(message.payload.size())),
        "creating a NATS message");
  MessageHandle handle(raw);
  check(natsMsgHeader_Set(handle.get(), kMsgIdHeader, message.msg_id.c_str()),
        "setting Nats-Msg-Id");
  for (const auto& [name, value] : message.headers)
    check(natsMsgHeader_Set(handle.get(), name.c_str(), value.c_str()), "setting a header");
  return handle;
}

// nats.c runs callbacks (disconnect notices, publish acks) on threads of its own. This guard,
// created with the first client and so after the logger, is destroyed before the logger at exit:
// it waits for those threads, so none logs into a logger that is already gone.
void keep_nats_until_exit() {
  spdlog::default_logger_raw();  // the logger must exist first, so that it is destroyed last
  struct NatsLibrary {
    NatsLibrary() { nats_Open(-1); }
    ~NatsLibrary() { nats_CloseAndWait(2000); }
  };
  static NatsLibrary library;
}

}  // namespace

JetStreamClient::JetStreamClient(NatsSettings settings) : settings_(std::move(settings)) {
  keep_nats_until_exit();
  natsOptions* raw_options = nullptr;
  check(natsOptions_Create(&raw_options), "creating NATS options");
  options_.reset(raw_options);
  std::vector<const char*> urls;
  urls.reserve(settings_.urls.size());
  for (const auto& url : settings_.urls)
    urls.push_back(url.c_str());
  check(natsOptions_SetServers(options_.get(), urls.data(), static_cast<int>(urls.size())),
        "setting NATS servers");
  check(natsOptions_SetName(options_.get(), settings_.client_name.c_str()), "naming connection");
  check(natsOptions_SetMaxReconnect(options_.get(), -1), "setting reconnect policy");
  check(natsOptions_SetReconnectWait(options_.get(), settings_.reconnect_wait.count()),
        "setting reconnect wait");
  // Fast detection of a dead server: the default ping interval is two minutes.
  check(natsOptions_SetPingInterval(options_.get(), 5000), "setting ping interval");
  check(natsOptions_SetMaxPingsOut(options_.get(), 2), "setting max pings out");
  check(natsOptions_SetDisconnectedCB(options_.get(), on_disconnected, nullptr),
        "setting disconnect callback");
  check(natsOptions_SetReconnectedCB(options_.get(), on_reconnected, nullptr),
        "setting reconnect callback");
  check(natsOptions_SetErrorHandler(options_.get(), on_error, nullptr), "setting error handler");
  // A service started before NATS keeps trying in the background instead of failing at once.
  check(natsOptions_SetRetryOnFailedConnect(options_.get(), true, on_connected, nullptr),
        "setting connect retry");

  natsConnection* raw_connection = nullptr;
  const natsStatus status = natsConnection_Connect(&raw_connection, options_.get());
  if (status == NATS_NOT_YET_CONNECTED) {
    spdlog::warn("NATS not reachable yet at {}; retrying in the background",
                 settings_.urls.front());
  } else {
    check(status, "connecting to NATS");
  }
  connection_.reset(raw_connection);

  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = settings_.request_timeout.count();
  js_options.PublishAsync.AckHandler = &JetStreamClient::on_publish_ack;
  js_options.PublishAsync.AckHandlerClosure = this;
  js_options.PublishAsync.MaxPending = 4096;
  jsCtx* raw_js = nullptr;
  check(natsConnection_JetStream(&raw_js, connection_.get(), &js_options),
        "creating the JetStream context");
  js_.reset(raw_js);
}

JetStreamClient::~JetStreamClient() {
  js_.reset();
  if (connection_)
    natsConnection_Close(connection_.get());
}

bool JetStreamClient::connected() const {
  return connection_ && natsConnection_Status(connection_.get()) == NATS_CONN_STATUS_CONNECTED;
}

bool JetStreamClient::wait_until_connected(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!connected()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void JetStreamClient::ensure_stream(const StreamSettings& settings) {
  std::vector<const char*> subjects;
  for (const auto& subject : settings.subjects)
    subjects.push_back(subject.c_str());
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = settings.name.c_str();
  config.Subjects = subjects.data();
  config.SubjectsLen = static_cast<int>(subjects.size());
  config.Storage = js_FileStorage;
  config.Retention = js_LimitsPolicy;
  config.Duplicates =
      std::chrono::duration_cast<std::chrono::nanoseconds>(settings.duplicate_window).count();
  config.Replicas = settings.replicas;

  jsStreamInfo* raw_info = nullptr;
  jsErrCode js_error{};
  natsStatus status =
      js_GetStreamInfo(&raw_info, js_.get(), settings.name.c_str(), nullptr, &js_error);
  StreamInfoHandle info(raw_info);
  if (status == NATS_NOT_FOUND) {
    jsStreamInfo* created = nullptr;
    status = js_AddStream(&created, js_.get(), &config, nullptr, &js_error);
    StreamInfoHandle created_handle(created);
    // Another service may have created it between our two calls: that is success too.
    if (status == NATS_OK || js_error == JSStreamNameExistErr) {
      spdlog::info("JetStream stream '{}' ready", settings.name);
      return;
    }
    check(status, "creating the JetStream stream", js_error);
  }
  check(status, "reading the JetStream stream", js_error);

  const auto* existing = info->Config;
  const bool same_subjects =
      existing->SubjectsLen == config.SubjectsLen &&
      std::equal(settings.subjects.begin(), settings.subjects.end(), existing->Subjects,
                 [](const std::string& a, const char* b) { return a == b; });
  if (same_subjects && existing->Duplicates >= config.Duplicates)
    return;
  jsStreamInfo* updated = nullptr;
  status = js_UpdateStream(&updated, js_.get(), &config, nullptr, &js_error);
  StreamInfoHandle updated_handle(updated);
  check(status, "updating the JetStream stream", js_error);
  spdlog::info("JetStream stream '{}' updated", settings.name);
}

StreamState JetStreamClient::stream_state(const std::string& stream) {
  jsStreamInfo* raw = nullptr;
  jsErrCode js_error{};
  check(js_GetStreamInfo(&raw, js_.get(), stream.c_str(), nullptr, &js_error),
        "reading the JetStream stream", js_error);
  StreamInfoHandle info(raw);
  StreamState state;
  state.messages = info->State.Msgs;
  state.bytes = info->State.Bytes;
  state.first_sequence = info->State.FirstSeq;
  state.last_sequence = info->State.LastSeq;
  state.duplicate_window_ns = info->Config->Duplicates;
  state.storage = static_cast<int>(info->Config->Storage);
  for (int i = 0; i < info->Config->SubjectsLen; ++i) {
    state.subjects.emplace_back(info->Config->Subjects[i]);
  }
  return state;
}

std::unique_ptr<PullConsumer> JetStreamClient::pull_consumer(const ConsumerSettings& settings) {
  jsConsumerConfig config;
  jsConsumerConfig_Init(&config);
  config.Durable = settings.durable.c_str();
  config.FilterSubject = settings.filter_subject.c_str();
  config.AckPolicy = js_AckExplicit;
  config.DeliverPolicy = js_DeliverAll;
  config.AckWait = settings.ack_wait.count() * kNanosPerMilli;
  config.MaxDeliver = -1;
  config.MaxAckPending = settings.max_ack_pending;

  jsConsumerInfo* raw_info = nullptr;
  jsErrCode js_error{};
  natsStatus status = js_GetConsumerInfo(&raw_info, js_.get(), settings.stream.c_str(),
                                         settings.durable.c_str(), nullptr, &js_error);
  ConsumerInfoHandle info(raw_info);
  if (status == NATS_NOT_FOUND) {
    jsConsumerInfo* created = nullptr;
    status =
        js_AddConsumer(&created, js_.get(), settings.stream.c_str(), &config, nullptr, &js_error);
    ConsumerInfoHandle created_handle(created);
    if (status != NATS_OK && js_error != JSConsumerNameExistErr &&
        js_error != JSConsumerExistingActiveErr) {
      check(status, "creating the durable consumer", js_error);
    }
    spdlog::info("durable consumer '{}' on '{}' ready", settings.durable, settings.filter_subject);
  } else {
    check(status, "reading the durable consumer", js_error);
    const auto* existing = info->Config;
    if (existing->AckWait != config.AckWait || existing->MaxAckPending != config.MaxAckPending ||
        existing->MaxDeliver != config.MaxDeliver) {
      jsConsumerInfo* updated = nullptr;
      status = js_UpdateConsumer(&updated, js_.get(), settings.stream.c_str(), &config, nullptr,
                                 &js_error);
      ConsumerInfoHandle updated_handle(updated);
      check(status, "updating the durable consumer", js_error);
      spdlog::info("durable consumer '{}' settings updated", settings.durable);
    }
  }

  // The default API prefix: this client sets neither a domain nor a prefix.
  return std::make_unique<PullConsumer>(
      connection_.get(), "$JS.API.CONSUMER.MSG.NEXT." + settings.stream + "." + settings.durable,
      settings);
}

namespace {

ConsumerState state_of(const jsConsumerInfo& info) {
  ConsumerState state;
  if (info.Name != nullptr)
    state.name = info.Name;
  if (info.Config != nullptr) {
    if (info.Config->FilterSubject != nullptr)
      state.filter_subject = info.Config->FilterSubject;
    state.max_ack_pending = info.Config->MaxAckPending;
  }
  state.num_pending = info.NumPending;
  state.num_ack_pending = info.NumAckPending;
  state.num_redelivered = info.NumRedelivered;
  state.num_waiting = info.NumWaiting;
  state.delivered_stream_sequence = info.Delivered.Stream;
  state.ack_floor_stream_sequence = info.AckFloor.Stream;
  state.last_delivered_ns = info.Delivered.Last;
  state.last_acked_ns = info.AckFloor.Last;
  return state;
}

struct ConsumerInfoListDeleter {
  void operator()(jsConsumerInfoList* list) const { jsConsumerInfoList_Destroy(list); }
};

}  // namespace

ConsumerState JetStreamClient::consumer_state(const std::string& stream,
                                              const std::string& durable) {
  jsConsumerInfo* raw = nullptr;
  jsErrCode js_error{};
  check(js_GetConsumerInfo(&raw, js_.get(), stream.c_str(), durable.c_str(), nullptr, &js_error),
        "reading the durable consumer", js_error);
  ConsumerInfoHandle info(raw);
  return state_of(*info);
}

std::vector<ConsumerState> JetStreamClient::consumer_states(const std::string& stream) {
  jsConsumerInfoList* raw = nullptr;
  jsErrCode js_error{};
  const auto status = js_Consumers(&raw, js_.get(), stream.c_str(), nullptr, &js_error);
  std::vector<ConsumerState> states;
  if (status == NATS_NOT_FOUND)  // a stream without consumers answers with an empty list
    return states;
  check(status, "listing the stream's consumers", js_error);
  std::unique_ptr<jsConsumerInfoList, ConsumerInfoListDeleter> list(raw);
  for (int i = 0; i < list->Count; ++i)
    states.push_back(state_of(*list->List[i]));
  std::sort(states.begin(), states.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return states;
}

PublishOutcome JetStreamClient::publish(const OutgoingMessage& message) {
  auto handle = make_message(message);
  jsPubAck* raw_ack = nullptr;
  jsErrCode js_error{};
  const natsStatus status = js_PublishMsg(&raw_ack, js_.get(), handle.get(), nullptr, &js_error);
  PubAckHandle ack(raw_ack);
  PublishOutcome outcome;
  if (status != NATS_OK) {
    outcome.error = NatsError("publishing " + message.subject, status, js_error).what();
    return outcome;
  }
  outcome.stored = true;
  outcome.duplicate = ack->Duplicate;
  outcome.sequence = ack->Sequence;
  return outcome;
}

void JetStreamClient::on_publish_ack(jsCtx*, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error,
                                     void* closure) {
  static_cast<JetStreamClient*>(closure)->record_ack(msg, ack, error);
}

void JetStreamClient::record_ack(natsMsg* msg, jsPubAck* ack, jsPubAckErr* error) {
  MessageHandle owned(msg);  // the handler owns the message it is given
  const char* id = nullptr;
  if (natsMsgHeader_Get(owned.get(), kMsgIdHeader, &id) != NATS_OK || id == nullptr)
    return;
  PublishOutcome outcome;
  if (ack != nullptr) {
    outcome.stored = true;
    outcome.duplicate = ack->Duplicate;
    outcome.sequence = ack->Sequence;
  } else if (error != nullptr) {
    outcome.error = error->ErrText != nullptr ? error->ErrText : natsStatus_GetText(error->Err);
  }
  std::lock_guard lock(acks_mutex_);
  acks_[id] = std::move(outcome);
}

std::vector<PublishOutcome> JetStreamClient::publish_batch(
    std::span<const OutgoingMessage> messages, std::chrono::milliseconds timeout) {
  std::lock_guard batch_lock(batch_mutex_);
  {
    std::lock_guard lock(acks_mutex_);
    acks_.clear();
  }
  std::vector<PublishOutcome> outcomes(messages.size());
  std::size_t sent = 0;
  for (; sent < messages.size(); ++sent) {
    auto handle = make_message(messages[sent]);
    natsMsg* raw = handle.release();
    const natsStatus status = js_PublishMsgAsync(js_.get(), &raw, nullptr);
    if (status != NATS_OK) {
      MessageHandle still_ours(raw);  // on failure the library leaves the message with us
      outcomes[sent].error = NatsError("publishing", status).what();
      break;
    }
  }
  jsPubOptions wait_options;
  jsPubOptions_Init(&wait_options);
  wait_options.MaxWait = timeout.count();
  const natsStatus completion = js_PublishAsyncComplete(js_.get(), &wait_options);
  if (completion != NATS_OK) {
    // Take back what never got an answer, so it is not acknowledged into a later batch's view.
    natsMsgList pending{};
    if (js_PublishAsyncGetPendingList(&pending, js_.get()) == NATS_OK)
      natsMsgList_Destroy(&pending);
  }
  std::lock_guard lock(acks_mutex_);
  for (std::size_t i = 0; i < sent; ++i) {
    const auto found = acks_.find(messages[i].msg_id);
    if (found != acks_.end()) {
      outcomes[i] = found->second;
    } else {
      outcomes[i].error =
          std::string("no acknowledgement from JetStream: ") + natsStatus_GetText(completion);
    }
  }
  for (std::size_t i = sent + 1; i < messages.size(); ++i) {
    outcomes[i].error = "not sent: an earlier message of the batch failed";
  }
  acks_.clear();
  return outcomes;
}

StoredMessage JetStreamClient::get_message(const std::string& stream, std::uint64_t sequence) {
  natsMsg* raw = nullptr;
  jsErrCode js_error{};
  check(js_GetMsg(&raw, js_.get(), stream.c_str(), sequence, nullptr, &js_error),
        "reading a stream message", js_error);
  MessageHandle message(raw);
  StoredMessage stored;
  stored.subject = natsMsg_GetSubject(message.get());
  const char* data = natsMsg_GetData(message.get());
  stored.data.assign(data == nullptr ? "" : data,
                     static_cast<std::size_t>(natsMsg_GetDataLength(message.get())));
  stored.headers = message_headers(message.get());
  stored.sequence = natsMsg_GetSequence(message.get());
  return stored;
}

std::unique_ptr<CoreSubscription> JetStreamClient::subscribe(const std::string& subject,
                                                             CoreMessageHandler handler) {
  return std::make_unique<CoreSubscription>(connection_.get(), subject, std::move(handler));
}

void JetStreamClient::drain(std::chrono::milliseconds timeout) {
  if (!connection_)
    return;
  if (connected()) {
    natsConnection_FlushTimeout(connection_.get(), timeout.count());
  }
  natsConnection_Close(connection_.get());
}

// Pull requests are sent and answered here rather than by nats.c's natsSubscription_Fetch*: in
// 3.4.1 its fetch loop first takes what is already buffered for earlier pull requests, then
// overwrites request.Batch with what is left to ask the server for, and loops until its count
// EQUALS that new Batch. With more than half a batch already buffered the count is past it from
// the start, and the loop goes on storing messages (late ones of earlier requests) beyond the end
// of its Batch-sized array until the request expires: the heap corruption ("corrupted size vs.
// prev_size") that killed the event monitor under load. Here each request has a reply subject of
// its own, so an answer (a 404/408 status) is never mistaken for another request's, and whatever
// arrives for an earlier request is simply the next fetch's.
PullConsumer::PullConsumer(natsConnection* connection, std::string next_subject,
                           ConsumerSettings settings)
    : connection_(connection),
      next_subject_(std::move(next_subject)),
      settings_(std::move(settings)) {
  natsInbox* raw_inbox = nullptr;
  check(natsInbox_Create(&raw_inbox), "creating an inbox for pull requests");
  inbox_ = raw_inbox;
  natsInbox_Destroy(raw_inbox);
  natsSubscription* raw = nullptr;
  check(natsConnection_SubscribeSync(&raw, connection_, (inbox_ + ".*").c_str()),
        "subscribing to the pull inbox");
  subscription_.reset(raw);
}

std::vector<ReceivedMessage> PullConsumer::fetch_available(int batch) {
  // The server answers a no-wait request with nothing to deliver at once (404), but one it could
  // only partly serve stays open until it expires: short, then (and see pull()).
  return pull(batch, std::chrono::milliseconds(10), true);
}

std::vector<ReceivedMessage> PullConsumer::fetch_ready(int batch, std::chrono::milliseconds wait) {
  auto messages = pull(std::min(batch, 1), wait, false);
  if (messages.empty() || batch <= 1) {
    return messages;
  }
  auto more = fetch_available(batch - 1);
  messages.reserve(messages.size() + more.size());
  for (auto& message : more) {
    messages.push_back(std::move(message));
  }
  return messages;
}

std::size_t PullConsumer::buffered() const {
  int messages = 0;
  int bytes = 0;
  if (natsSubscription_GetPending(subscription_.get(), &messages, &bytes) != NATS_OK)
    return 0;
  return static_cast<std::size_t>(std::max(messages, 0));
}

void PullConsumer::take_buffered(std::vector<ReceivedMessage>& messages, std::size_t batch) {
  // Only what is queued already: statuses in it all end earlier requests and are dropped.
  for (auto held = buffered(); held > 0 && messages.size() < batch; --held) {
    natsMsg* raw = nullptr;
    if (natsSubscription_NextMsg(&raw, subscription_.get(), 1) != NATS_OK)
      return;
    MessageHandle message(raw);
    if (!is_status(message.get()))
      messages.emplace_back(std::move(message), connection_);
  }
}

bool PullConsumer::is_status(natsMsg* message) {
  // Deliveries carry their $JS.ACK reply subject; the server's notices about a request do not.
  const char* reply = natsMsg_GetReply(message);
  return reply == nullptr || *reply == '\0';
}

std::vector<ReceivedMessage> PullConsumer::pull(int batch, std::chrono::milliseconds expires,
                                                bool no_wait) {
  using Clock = std::chrono::steady_clock;
  // A request ends with a status from the server at the latest when it expires; this covers the
  // status's way here (and a server that never answers).
  constexpr auto kAnswerGrace = std::chrono::milliseconds(200);

  std::vector<ReceivedMessage> messages;
  if (batch <= 0)
    return messages;
  const auto wanted = static_cast<std::size_t>(batch);
  messages.reserve(wanted);
  take_buffered(messages, wanted);
  if (messages.size() >= wanted)
    return messages;

  expires = std::max(expires, std::chrono::milliseconds(1));
  const std::string reply = inbox_ + "." + std::to_string(++requests_);
  std::string request = "{\"batch\":" + std::to_string(wanted - messages.size()) +
                        ",\"expires\":" + std::to_string(expires.count() * kNanosPerMilli);
  request += no_wait ? ",\"no_wait\":true}" : "}";
  const natsStatus sent =
      natsConnection_PublishRequest(connection_, next_subject_.c_str(), reply.c_str(),
                                    request.data(), static_cast<int>(request.size()));
  if (sent != NATS_OK) {
    if (messages.empty())
      check(sent, "requesting messages from the durable consumer");
    return messages;
  }

  const auto deadline = Clock::now() + expires + kAnswerGrace;
  while (messages.size() < wanted) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      break;
    natsMsg* raw = nullptr;
    const natsStatus status = natsSubscription_NextMsg(&raw, subscription_.get(), left.count());
    if (status == NATS_TIMEOUT)
      break;
    if (status != NATS_OK) {
      if (messages.empty())
        check(status, "fetching from the durable consumer");
      break;
    }
    MessageHandle message(raw);
    if (!is_status(message.get())) {
      messages.emplace_back(std::move(message), connection_);
      // Nothing more to deliver now: a partly served no-wait request would only idle until it
      // expires (whatever it still gets goes to the next fetch).
      if (no_wait && messages.back().delivery().num_pending == 0)
        break;
      continue;
    }
    const char* subject = natsMsg_GetSubject(message.get());
    if (subject == nullptr || reply != subject)
      continue;  // the end of an earlier request
    const char* code = nullptr;
    natsMsgHeader_Get(message.get(), "Status", &code);
    const std::string status_code = code == nullptr ? "" : code;
    if (status_code == "100")
      continue;  // an idle heartbeat
    if (status_code == "404" || status_code == "408")
      break;  // nothing (more) to deliver, or the request expired
    // 409 and the like: the request was refused or cut short (consumer deleted, too many waiting
    // requests, leader change). Worth a retry by the caller, after what was delivered.
    if (messages.empty()) {
      const char* description = nullptr;
      natsMsgHeader_Get(message.get(), "Description", &description);
      throw NatsError("fetching from the durable consumer (" + status_code + " " +
                          (description == nullptr ? "" : description) + ")",
                      NATS_ERR);
    }
    break;
  }
  return messages;
}

}  // namespace choreo::bus
