#include "bus/core_subscription.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "bus/nats_error.hpp"

namespace choreo::bus {
namespace {

// Generous: a burst of status updates must not be dropped while the handler hands them on.
constexpr int kPendingMessages = 1'000'000;
constexpr int kPendingBytes = 256 << 20;

}  // namespace

CoreSubscription::CoreSubscription(natsConnection* connection, const std::string& subject,
                                   CoreMessageHandler handler)
    : handler_(std::move(handler)) {
  natsSubscription* raw = nullptr;
  const std::string operation = "subscribing to " + subject;
  check(natsConnection_Subscribe(&raw, connection, subject.c_str(), &CoreSubscription::on_message,
                                 this),
        operation.c_str());
  subscription_.reset(raw);
  check(natsSubscription_SetOnCompleteCB(raw, &CoreSubscription::on_complete, this),
        "setting the subscription's completion callback");
  check(natsSubscription_SetPendingLimits(raw, kPendingMessages, kPendingBytes),
        "setting the subscription's pending limits");
}

CoreSubscription::~CoreSubscription() {
  const natsStatus status = natsSubscription_Unsubscribe(subscription_.get());
  if (status == NATS_OK) {
    std::unique_lock lock(mutex_);
    if (!completed_.wait_for(lock, std::chrono::seconds(2), [this] { return complete_; })) {
      spdlog::warn("NATS subscription did not confirm its end within 2 s");
    }
  }
  // Otherwise the subscription was already closed with its connection, and with it the delivery
  // of messages to this object.
}

std::int64_t CoreSubscription::dropped() const {
  int64_t count = 0;
  natsSubscription_GetDropped(subscription_.get(), &count);
  return count;
}

void CoreSubscription::on_message(natsConnection*, natsSubscription*, natsMsg* message,
                                  void* closure) {
  MessageHandle owned(message);
  auto& self = *static_cast<CoreSubscription*>(closure);
  const char* data = natsMsg_GetData(owned.get());
  const auto length = static_cast<std::size_t>(natsMsg_GetDataLength(owned.get()));
  try {
    self.handler_(CoreMessage{natsMsg_GetSubject(owned.get()),
                              std::string_view(data ? data : "", length), owned.get()});
  } catch (const std::exception& error) {
    spdlog::error("NATS subscription handler failed: {}", error.what());
  }
}

void CoreSubscription::on_complete(void* closure) {
  auto& self = *static_cast<CoreSubscription*>(closure);
  std::lock_guard lock(self.mutex_);
  self.complete_ = true;
  self.completed_.notify_all();
}

}  // namespace choreo::bus
