#include "event_log_writer.hpp"

#include <gtest/gtest.h>

namespace choreo::event_monitor {
namespace {

TEST(EventMonitorAlerts, FailuresAlert) {
  EXPECT_TRUE(is_alert_subject("events.order.failed"));
  EXPECT_TRUE(is_alert_subject("events.payment.failed"));
}

TEST(EventMonitorAlerts, NormalProgressDoesNotAlert) {
  EXPECT_FALSE(is_alert_subject("events.order.created"));
  EXPECT_FALSE(is_alert_subject("events.payment.charged"));
  EXPECT_FALSE(is_alert_subject("events.order.status_updated"));
}

}  // namespace
}  // namespace choreo::event_monitor
