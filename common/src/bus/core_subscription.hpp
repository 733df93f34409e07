#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "bus/nats_handles.hpp"

namespace choreo::bus {

// A live message as a core subscription hands it over; valid only during the handler's call.
struct CoreMessage {
  std::string_view subject;
  std::string_view data;
  natsMsg* raw = nullptr;  // for its headers: bus::message_headers(raw)
};

// Called on a nats.c delivery thread with each message; keep it quick.
using CoreMessageHandler = std::function<void(const CoreMessage& message)>;

// A plain (core NATS) subscription: live messages only, no acknowledgements, no replay. For
// fan-out of events that matter only while someone listens (GraphQL subscriptions), where a
// durable consumer would buffer for a listener that is gone. Made by JetStreamClient::subscribe.
class CoreSubscription {
 public:
  CoreSubscription(natsConnection* connection, const std::string& subject,
                   CoreMessageHandler handler);
  // Unsubscribes and waits (briefly) until no handler call is running: the handler may refer to
  // objects that are destroyed right after.
  ~CoreSubscription();
  CoreSubscription(const CoreSubscription&) = delete;
  CoreSubscription& operator=(const CoreSubscription&) = delete;

  // Messages dropped by the client library because the handler fell behind (its pending limits).
  std::int64_t dropped() const;

 private:
  static void on_message(natsConnection*, natsSubscription*, natsMsg* message, void* closure);
  static void on_complete(void* closure);

  CoreMessageHandler handler_;
  SubscriptionHandle subscription_;
  std::mutex mutex_;
  std::condition_variable completed_;
  bool complete_ = false;
};

}  // namespace choreo::bus
