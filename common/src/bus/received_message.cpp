#include "bus/received_message.hpp"

#include <spdlog/spdlog.h>

namespace choreo::bus {
namespace {

void log_settle_failure(const char* what, natsStatus status) {
  if (status != NATS_OK) {
    spdlog::warn("{} failed: {} (the server will redeliver; the inbox absorbs repeats)", what,
                 natsStatus_GetText(status));
  }
}

}  // namespace

ReceivedMessage::ReceivedMessage(MessageHandle message, natsConnection* connection)
    : message_(std::move(message)), connection_(connection) {
  jsMsgMetaData* raw = nullptr;
  if (natsMsg_GetMetaData(&raw, message_.get()) == NATS_OK) {
    MetaDataHandle meta(raw);
    delivery_.stream_sequence = meta->Sequence.Stream;
    delivery_.consumer_sequence = meta->Sequence.Consumer;
    delivery_.num_delivered = meta->NumDelivered;
    delivery_.num_pending = meta->NumPending;
    delivery_.timestamp_ns = meta->Timestamp;
  }
}

std::string_view ReceivedMessage::subject() const {
  const char* subject = natsMsg_GetSubject(message_.get());
  return subject == nullptr ? std::string_view() : std::string_view(subject);
}

std::string_view ReceivedMessage::data() const {
  const char* data = natsMsg_GetData(message_.get());
  const int length = natsMsg_GetDataLength(message_.get());
  if (data == nullptr || length <= 0)
    return {};
  return {data, static_cast<std::size_t>(length)};
}

std::optional<std::string> ReceivedMessage::header(const char* key) const {
  const char* value = nullptr;
  if (natsMsgHeader_Get(message_.get(), key, &value) != NATS_OK || value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

std::map<std::string, std::string> message_headers(natsMsg* message) {
  std::map<std::string, std::string> result;
  const char** keys = nullptr;
  int count = 0;
  if (natsMsgHeader_Keys(message, &keys, &count) != NATS_OK || keys == nullptr)
    return result;
  for (int i = 0; i < count; ++i) {
    const char* value = nullptr;
    if (natsMsgHeader_Get(message, keys[i], &value) == NATS_OK && value != nullptr) {
      result.emplace(keys[i], value);
    }
  }
  // natsMsgHeader_Keys allocates only the array; the strings belong to the message.
  std::free(static_cast<void*>(keys));
  return result;
}

std::map<std::string, std::string> ReceivedMessage::headers() const {
  return message_headers(message_.get());
}

// The JetStream acknowledgement protocol: the payload sent to the delivery's $JS.ACK subject.
void ReceivedMessage::settle(const char* what, const std::string& acknowledgement) {
  const char* reply = natsMsg_GetReply(message_.get());
  if (reply == nullptr || *reply == '\0') {
    log_settle_failure(what, NATS_ILLEGAL_STATE);
    return;
  }
  log_settle_failure(what, natsConnection_Publish(connection_, reply, acknowledgement.data(),
                                                  static_cast<int>(acknowledgement.size())));
}

void ReceivedMessage::ack() {
  settle("ack", "+ACK");
}

void ReceivedMessage::nak(std::chrono::milliseconds delay) {
  if (delay.count() <= 0) {
    settle("nak", "-NAK");
    return;
  }
  const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count();
  settle("nak", "-NAK {\"delay\":" + std::to_string(nanos) + "}");
}

void ReceivedMessage::term() {
  settle("term", "+TERM");
}

void ReceivedMessage::in_progress() {
  settle("in-progress", "+WPI");
}

}  // namespace choreo::bus
