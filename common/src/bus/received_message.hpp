#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "bus/nats_handles.hpp"

namespace choreo::bus {

// Every header of a message (the last value of a repeated one).
std::map<std::string, std::string> message_headers(natsMsg* message);

// Where a delivered message sits in the stream and how often it has been delivered.
struct DeliveryInfo {
  std::uint64_t stream_sequence = 0;
  std::uint64_t consumer_sequence = 0;
  std::uint64_t num_delivered = 1;  // 1 on the first delivery
  std::uint64_t num_pending = 0;
  std::int64_t timestamp_ns = 0;  // when the stream stored it
};

// One message delivered by a pull consumer. Settle it exactly once with ack, nak or term;
// settling is fire-and-forget (a lost ack only causes a redelivery, which the inbox absorbs).
// Settling publishes the acknowledgement to the message's reply subject on `connection` (the
// message comes from a plain subscription, which natsMsg_Ack and its kin do not accept).
class ReceivedMessage {
 public:
  ReceivedMessage(MessageHandle message, natsConnection* connection);

  std::string_view subject() const;
  std::string_view data() const;
  std::optional<std::string> header(const char* key) const;
  std::map<std::string, std::string> headers() const;
  const DeliveryInfo& delivery() const { return delivery_; }

  void ack();
  void nak(std::chrono::milliseconds delay);
  void term();
  // Tells the server the message is still being worked on (resets its ack timer).
  void in_progress();

 private:
  void settle(const char* what, const std::string& acknowledgement);

  MessageHandle message_;
  natsConnection* connection_;
  DeliveryInfo delivery_;
};

}  // namespace choreo::bus
