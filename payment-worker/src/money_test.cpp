#include "money.hpp"

#include <gtest/gtest.h>

namespace choreo::payment_worker {
namespace {

TEST(ParseCents, AcceptsPlainDecimals) {
  EXPECT_EQ(parse_cents("49.99"), 4999);
  EXPECT_EQ(parse_cents("5000.00"), 500000);
  EXPECT_EQ(parse_cents("5000"), 500000);
  EXPECT_EQ(parse_cents("0.5"), 50);
  EXPECT_EQ(parse_cents("0"), 0);
  EXPECT_EQ(parse_cents("007.10"), 710);
  EXPECT_EQ(parse_cents("999999999999999.99"), 99999999999999999);
}

TEST(ParseCents, RejectsEverythingElse) {
  for (const char* bad : {"", ".", "5.", ".5", "-1.00", "+1.00", "1.001", "1e3", " 1.00", "1.00 ",
                          "1,00", "1.2.3", "abc", "NaN", "1000000000000000.00"}) {
    EXPECT_EQ(parse_cents(bad), std::nullopt) << bad;
  }
}

TEST(FormatCents, AlwaysTwoPlaces) {
  EXPECT_EQ(format_cents(4999), "49.99");
  EXPECT_EQ(format_cents(500000), "5000.00");
  EXPECT_EQ(format_cents(5), "0.05");
  EXPECT_EQ(format_cents(0), "0.00");
  EXPECT_EQ(format_cents(-150), "-1.50");
}

}  // namespace
}  // namespace choreo::payment_worker
