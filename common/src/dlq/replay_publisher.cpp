#include "dlq/replay_publisher.hpp"

#include "bus/nats_error.hpp"
#include "bus/nats_handles.hpp"

namespace choreo::dlq {

bus::PublishOutcome publish_replay(bus::JetStreamClient& bus, const ReplayMessage& message,
                                   std::chrono::milliseconds connect_timeout) {
  bus::PublishOutcome outcome;
  // The client connects in the background when NATS is not there at once; give it a moment
  // rather than failing on the first try.
  if (!bus.wait_until_connected(connect_timeout)) {
    outcome.error = "NATS is not reachable (check NATS_URL)";
    return outcome;
  }

  natsMsg* raw = nullptr;
  bus::check(natsMsg_Create(&raw, message.subject.c_str(), nullptr, message.payload.data(),
                            static_cast<int>(message.payload.size())),
             "creating a NATS message");
  bus::MessageHandle handle(raw);
  for (const auto& [name, value] : message.headers) {
    bus::check(natsMsgHeader_Set(handle.get(), name.c_str(), value.c_str()),
               "setting a message header");
  }
  jsPubAck* raw_ack = nullptr;
  jsErrCode js_error{};
  const natsStatus status =
      js_PublishMsg(&raw_ack, bus.context(), handle.get(), nullptr, &js_error);
  bus::PubAckHandle ack(raw_ack);
  if (status != NATS_OK) {
    outcome.error = bus::NatsError("publishing to " + message.subject, status, js_error).what();
    return outcome;
  }
  outcome.stored = true;
  outcome.duplicate = ack->Duplicate;
  outcome.sequence = ack->Sequence;
  return outcome;
}

}  // namespace choreo::dlq
