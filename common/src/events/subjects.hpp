#pragma once

#include <string_view>

// The subjects of docs/events.md, in one place.
namespace choreo::events::subjects {

inline constexpr std::string_view kOrderCreated = "events.order.created";
inline constexpr std::string_view kInventoryReserved = "events.inventory.reserved";
inline constexpr std::string_view kInventoryReleased = "events.inventory.released";
inline constexpr std::string_view kPaymentCharged = "events.payment.charged";
inline constexpr std::string_view kPaymentFailed = "events.payment.failed";
inline constexpr std::string_view kOrderShipped = "events.order.shipped";
inline constexpr std::string_view kOrderFailed = "events.order.failed";
inline constexpr std::string_view kOrderStatusUpdated = "events.order.status_updated";

inline constexpr std::string_view kAll = "events.>";

}  // namespace choreo::events::subjects
