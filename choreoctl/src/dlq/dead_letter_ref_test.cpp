#include "dlq/dead_letter_ref.hpp"

#include <gtest/gtest.h>

#include "cli/options.hpp"

namespace choreo::ctl {
namespace {

TEST(DeadLetterRef, ServiceSlashNumberOrANumber) {
  const auto named = parse_dead_letter_ref("inventory-worker/12");
  EXPECT_EQ(named.service, "inventory-worker");
  EXPECT_EQ(named.id, 12);
  const auto bare = parse_dead_letter_ref("7");
  EXPECT_FALSE(bare.service.has_value());
  EXPECT_EQ(bare.id, 7);
  for (const char* bad : {"0", "x", "nobody/3", "payment-worker/", "payment-worker/-1", "3a"})
    EXPECT_THROW(parse_dead_letter_ref(bad), UsageError) << bad;
}

}  // namespace
}  // namespace choreo::ctl
