#pragma once

#include <nats/nats.h>

#include <memory>

namespace choreo::bus {

// Owning handles for nats.c objects: each is released by its own destroy function, so no code
// path (early return, exception) leaks one.
template <auto Destroy>
struct NatsDeleter {
  template <typename T>
  void operator()(T* handle) const noexcept {
    if (handle != nullptr)
      Destroy(handle);
  }
};

using OptionsHandle = std::unique_ptr<natsOptions, NatsDeleter<natsOptions_Destroy>>;
using ConnectionHandle = std::unique_ptr<natsConnection, NatsDeleter<natsConnection_Destroy>>;
using JsContextHandle = std::unique_ptr<jsCtx, NatsDeleter<jsCtx_Destroy>>;
using SubscriptionHandle = std::unique_ptr<natsSubscription, NatsDeleter<natsSubscription_Destroy>>;
using MessageHandle = std::unique_ptr<natsMsg, NatsDeleter<natsMsg_Destroy>>;
using StreamInfoHandle = std::unique_ptr<jsStreamInfo, NatsDeleter<jsStreamInfo_Destroy>>;
using ConsumerInfoHandle = std::unique_ptr<jsConsumerInfo, NatsDeleter<jsConsumerInfo_Destroy>>;
using PubAckHandle = std::unique_ptr<jsPubAck, NatsDeleter<jsPubAck_Destroy>>;
using MetaDataHandle = std::unique_ptr<jsMsgMetaData, NatsDeleter<jsMsgMetaData_Destroy>>;

}  // namespace choreo::bus
