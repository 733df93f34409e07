#include "graphql/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace choreo::graphql {
namespace {

TEST(Utf8, DecodesEveryLength) {
  const std::string text = "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  EXPECT_EQ(decode_utf8(text, 0)->code_point, U'A');
  EXPECT_EQ(decode_utf8(text, 1)->code_point, U'\u00E9');
  EXPECT_EQ(decode_utf8(text, 1)->length, 2U);
  EXPECT_EQ(decode_utf8(text, 3)->code_point, U'\u20AC');
  EXPECT_EQ(decode_utf8(text, 6)->code_point, U'\U0001F600');
  EXPECT_EQ(decode_utf8(text, 6)->length, 4U);
  EXPECT_FALSE(decode_utf8(text, 10).has_value());
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(decode_utf8("\x80", 0));              // stray continuation byte
  EXPECT_FALSE(decode_utf8("\xC3", 0));              // truncated
  EXPECT_FALSE(decode_utf8("\xC0\x80", 0));          // overlong NUL
  EXPECT_FALSE(decode_utf8("\xE0\x80\xAF", 0));      // overlong '/'
  EXPECT_FALSE(decode_utf8("\xF4\x90\x80\x80", 0));  // above U+10FFFF
  EXPECT_FALSE(decode_utf8("\xFE", 0));
  // Surrogates decode, so errors can name them, but are not scalar values.
  EXPECT_EQ(decode_utf8("\xED\xA0\x80", 0)->code_point, 0xD800U);
  EXPECT_FALSE(is_unicode_scalar_value(0xD800));
  EXPECT_TRUE(is_unicode_scalar_value(0x10FFFF));
  EXPECT_FALSE(is_unicode_scalar_value(0x110000));
}

TEST(Utf8, EncodesEveryLength) {
  for (const char32_t code_point :
       {U'\0', U'A', U'\u00E9', U'\u20AC', U'\U0001F600', U'\U0010FFFF'}) {
    std::string out;
    append_utf8(out, code_point);
    const auto decoded = decode_utf8(out, 0);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->code_point, code_point);
    EXPECT_EQ(decoded->length, out.size());
  }
}

}  // namespace
}  // namespace choreo::graphql
