#include "outbox/outbox_relay.hpp"

#include <gtest/gtest.h>

namespace choreo::outbox {
namespace {

TEST(OutboxChannel, MatchesTheTriggerNamingRule) {
  // sql/001 notifies 'outbox_' || replace(source, '-', '_'): both sides must agree.
  EXPECT_EQ(notify_channel("order-service"), "outbox_order_service");
  EXPECT_EQ(notify_channel("inventory-worker"), "outbox_inventory_worker");
}

}  // namespace
}  // namespace choreo::outbox
