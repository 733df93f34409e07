#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "events/subjects.hpp"

// The payload of every event of docs/events.md, each defined once: its subject and its fields, in
// order, with how each is checked. encode() and decode() both read that one definition, so what a
// producer writes and what a consumer accepts cannot drift apart (and the observer's SQL payloads
// are held to it by a contract test). Workers carry what they need about an order in the events
// themselves (event-carried state), so these are the whole interface between services.
namespace choreo::events {

// A payload lacks a field or has one of the wrong type. Permanent: retrying will not fix it.
class PayloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OrderLine {
  std::string sku;
  int quantity = 0;
};

// How a field is checked on decode, and written when absent.
enum class Check {
  kText,     // a string
  kUuid,     // a string holding a UUID
  kDecimal,  // a decimal as text, e.g. "49.99": never a binary float
};
enum class WhenAbsent {
  kRequired,  // decode fails without it
  kNull,      // written as null when absent; null or missing decodes as absent
  kOmitted,   // left out when absent; null or missing decodes as absent
};

template <typename Payload, typename Member>
struct Field {
  const char* name;
  Member Payload::*member;
  Check check = Check::kText;
  WhenAbsent absent = WhenAbsent::kRequired;
};

template <typename Payload, typename Member>
constexpr Field<Payload, Member> field(const char* name, Member Payload::*member,
                                       Check check = Check::kText,
                                       WhenAbsent absent = WhenAbsent::kRequired) {
  return {name, member, check, absent};
}

struct OrderCreated {
  static constexpr std::string_view subject = subjects::kOrderCreated;
  std::string order_id;
  std::string identifier;
  std::string total;
  std::vector<OrderLine> items;
  std::optional<std::string> shipping_address;
  static constexpr auto fields() {
    using T = OrderCreated;
    return std::make_tuple(
        field("order_id", &T::order_id, Check::kUuid), field("identifier", &T::identifier),
        field("total", &T::total, Check::kDecimal), field("items", &T::items),
        field("shipping_address", &T::shipping_address, Check::kText, WhenAbsent::kNull));
  }
};

struct InventoryReserved {
  static constexpr std::string_view subject = subjects::kInventoryReserved;
  std::string order_id;
  std::vector<OrderLine> items;
  std::string identifier;
  std::string total;
  std::optional<std::string> shipping_address;
  static constexpr auto fields() {
    using T = InventoryReserved;
    return std::make_tuple(
        field("order_id", &T::order_id, Check::kUuid), field("items", &T::items),
        field("identifier", &T::identifier), field("total", &T::total, Check::kDecimal),
        field("shipping_address", &T::shipping_address, Check::kText, WhenAbsent::kNull));
  }
};

struct InventoryReleased {
  static constexpr std::string_view subject = subjects::kInventoryReleased;
  std::string order_id;
  std::vector<OrderLine> items;
  static constexpr auto fields() {
    using T = InventoryReleased;
    return std::make_tuple(field("order_id", &T::order_id, Check::kUuid),
                           field("items", &T::items));
  }
};

struct PaymentCharged {
  static constexpr std::string_view subject = subjects::kPaymentCharged;
  std::string order_id;
  std::string payment_id;  // the payment worker's id of the payment (a UUID)
  std::string amount;
  std::optional<std::string> shipping_address;
  std::optional<std::string> provider_id;  // the provider's reference of the charge
  static constexpr auto fields() {
    using T = PaymentCharged;
    return std::make_tuple(
        field("order_id", &T::order_id, Check::kUuid),
        field("payment_id", &T::payment_id, Check::kUuid),
        field("amount", &T::amount, Check::kDecimal),
        field("shipping_address", &T::shipping_address, Check::kText, WhenAbsent::kNull),
        field("provider_id", &T::provider_id, Check::kText, WhenAbsent::kOmitted));
  }
};

struct PaymentFailed {
  static constexpr std::string_view subject = subjects::kPaymentFailed;
  std::string order_id;
  std::string reason;
  // The declined payment as the payment worker recorded it (absent in events published before
  // they were added).
  std::optional<std::string> payment_id;
  std::optional<std::string> amount;
  std::optional<std::string> provider_id;
  static constexpr auto fields() {
    using T = PaymentFailed;
    return std::make_tuple(
        field("order_id", &T::order_id, Check::kUuid), field("reason", &T::reason),
        field("payment_id", &T::payment_id, Check::kUuid, WhenAbsent::kOmitted),
        field("amount", &T::amount, Check::kDecimal, WhenAbsent::kOmitted),
        field("provider_id", &T::provider_id, Check::kText, WhenAbsent::kOmitted));
  }
};

struct OrderShipped {
  static constexpr std::string_view subject = subjects::kOrderShipped;
  std::string order_id;
  std::string tracking_number;
  std::string carrier;
  std::optional<std::string> label_id;  // the carrier's label (absent in older events)
  static constexpr auto fields() {
    using T = OrderShipped;
    return std::make_tuple(field("order_id", &T::order_id, Check::kUuid),
                           field("tracking_number", &T::tracking_number),
                           field("carrier", &T::carrier),
                           field("label_id", &T::label_id, Check::kText, WhenAbsent::kOmitted));
  }
};

struct OrderFailed {
  static constexpr std::string_view subject = subjects::kOrderFailed;
  std::string order_id;
  std::string reason;
  std::optional<std::string> sku;
  std::optional<bool> compensated;
  static constexpr auto fields() {
    using T = OrderFailed;
    return std::make_tuple(
        field("order_id", &T::order_id, Check::kUuid), field("reason", &T::reason),
        field("sku", &T::sku, Check::kText, WhenAbsent::kOmitted),
        field("compensated", &T::compensated, Check::kText, WhenAbsent::kOmitted));
  }
};

struct OrderStatusUpdated {
  static constexpr std::string_view subject = subjects::kOrderStatusUpdated;
  std::string order_id;
  std::string status;
  std::string previous_status;
  static constexpr auto fields() {
    using T = OrderStatusUpdated;
    return std::make_tuple(field("order_id", &T::order_id, Check::kUuid),
                           field("status", &T::status),
                           field("previous_status", &T::previous_status));
  }
};

// --- the codec, for every payload above -------------------------------------------------------

namespace codec {

// One value of each member type: read (throwing PayloadError naming the field) and written.
void read(const nlohmann::json& value, const char* name, Check check, std::string& out);
void read(const nlohmann::json& value, const char* name, Check check, bool& out);
void read(const nlohmann::json& value, const char* name, Check check, std::vector<OrderLine>& out);
nlohmann::json write(const std::string& value);
nlohmann::json write(bool value);
nlohmann::json write(const std::vector<OrderLine>& value);

// The member itself, or the value inside an optional member.
template <typename Member>
struct Value {
  using type = Member;
  static constexpr bool optional = false;
};
template <typename Inner>
struct Value<std::optional<Inner>> {
  using type = Inner;
  static constexpr bool optional = true;
};

const nlohmann::json* find(const nlohmann::json& payload, const char* name);

template <typename Payload, typename Member>
void decode_field(const nlohmann::json& payload, const Field<Payload, Member>& field,
                  Payload& out) {
  const nlohmann::json* value = find(payload, field.name);
  if constexpr (Value<Member>::optional) {
    if (value == nullptr || value->is_null())
      return;
    typename Value<Member>::type inner{};
    read(*value, field.name, field.check, inner);
    out.*field.member = std::move(inner);
  } else {
    if (value == nullptr)
      throw PayloadError(std::string("payload lacks \"") + field.name + "\"");
    read(*value, field.name, field.check, out.*field.member);
  }
}

template <typename Payload, typename Member>
void encode_field(const Field<Payload, Member>& field, const Payload& in, nlohmann::json& out) {
  const auto& member = in.*field.member;
  if constexpr (Value<Member>::optional) {
    if (member)
      out[field.name] = write(*member);
    else if (field.absent == WhenAbsent::kNull)
      out[field.name] = nullptr;
  } else {
    out[field.name] = write(member);
  }
}

}  // namespace codec

// The payload as JSON: every field it has, and null for the absent ones written as null.
template <typename Payload>
nlohmann::json encode(const Payload& payload) {
  nlohmann::json out = nlohmann::json::object();
  std::apply([&](const auto&... fields) { (codec::encode_field(fields, payload, out), ...); },
             Payload::fields());
  return out;
}

// Throws PayloadError naming the offending field. Fields it does not define are ignored, so
// producers may add fields before consumers know them.
template <typename Payload>
Payload decode(const nlohmann::json& payload) {
  if (!payload.is_object())
    throw PayloadError("payload is not a JSON object");
  Payload out;
  std::apply([&](const auto&... fields) { (codec::decode_field(payload, fields, out), ...); },
             Payload::fields());
  return out;
}

}  // namespace choreo::events
