#include "http/percent_decoding.hpp"

#include <gtest/gtest.h>

namespace choreo::http {
namespace {

TEST(PercentDecoding, DecodesEscapesAndReadsPlusAsTold) {
  EXPECT_EQ(percent_decoded("a+b%20c%2B", PlusSign::kSpace), "a b c+");
  EXPECT_EQ(percent_decoded("a+b%40c", PlusSign::kLiteral), "a+b@c");
  EXPECT_EQ(percent_decoded("%e2%9C%93", PlusSign::kLiteral), "\xe2\x9c\x93");
  EXPECT_EQ(percent_decoded("", PlusSign::kSpace), "");
}

TEST(PercentDecoding, AMalformedEscapeIsRefused) {
  for (const char* text : {"%", "%2", "a%zz", "%g0", "abc%"})
    EXPECT_EQ(percent_decoded(text, PlusSign::kSpace), std::nullopt) << text;
}

}  // namespace
}  // namespace choreo::http
