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

ReceivedMessage::ReceivedMessage(MessageHandle message) : message_(std::move(message)) {
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

void ReceivedMessage::ack() {
  log_settle_failure("ack", natsMsg_Ack(message_.get(), nullptr));
}

void ReceivedMessage::nak(std::chrono::milliseconds delay) {
  log_settle_failure("nak", natsMsg_NakWithDelay(message_.get(), delay.count(), nullptr));
}

void ReceivedMessage::term() {
  log_settle_failure("term", natsMsg_Term(message_.get(), nullptr));
}

void ReceivedMessage::in_progress() {
  log_settle_failure("in-progress", natsMsg_InProgress(message_.get(), nullptr));
}

}  // namespace choreo::bus
