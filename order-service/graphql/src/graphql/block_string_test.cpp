#include "graphql/block_string.hpp"

#include <gtest/gtest.h>

#include <string>

#include "graphql/lexer.hpp"

namespace choreo::graphql {
namespace {

TEST(BlockStringValue, RemovesCommonIndentationButNotTheFirstLines) {
  EXPECT_EQ(block_string_value("\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  "),
            "Hello,\n  World!\n\nYours,\n  GraphQL.");
  EXPECT_EQ(block_string_value("  first\n    second\n     third"), "  first\nsecond\n third");
}

TEST(BlockStringValue, RemovesLeadingAndTrailingBlankLines) {
  EXPECT_EQ(block_string_value("\n\n  hello\n\n"), "hello");
  EXPECT_EQ(block_string_value("  \t \n  a\n   \n \t"), "a");
  EXPECT_EQ(block_string_value("   \n  \n"), "");
  EXPECT_EQ(block_string_value(""), "");
}

TEST(BlockStringValue, KeepsBlankLinesInsideAndTheirExtraWhiteSpace) {
  EXPECT_EQ(block_string_value("\n  a\n\n     \n  b\n"), "a\n\n   \nb");
}

TEST(BlockStringValue, IgnoresBlankLinesWhenFindingTheIndentation) {
  // The blank line has less indentation than the others but does not count.
  EXPECT_EQ(block_string_value("\n    a\n \n    b"), "a\n\nb");
}

TEST(BlockStringValue, TreatsTabsAsWhiteSpace) {
  EXPECT_EQ(block_string_value("\n\t\ta\n\t\t\tb"), "a\n\tb");
}

TEST(BlockStringValue, NormalizesEveryLineTerminator) {
  EXPECT_EQ(block_string_value("a\r\n  b\r  c\n  d"), "a\nb\nc\nd");
}

// Whatever the printer lays out, the lexer must read back the same value (when the value is one a
// parsed block string can have).
void expect_round_trip(const std::string& value) {
  const std::string printed = print_block_string(value);
  Lexer lexer(printed);
  const Token token = lexer.next();
  EXPECT_EQ(token.kind, TokenKind::kBlockString) << printed;
  EXPECT_EQ(token.value, value) << printed;
}

TEST(PrintBlockString, LaysOutValues) {
  EXPECT_EQ(print_block_string(""), "\"\"\"\"\"\"");
  EXPECT_EQ(print_block_string("one line"), "\"\"\"one line\"\"\"");
  EXPECT_EQ(print_block_string("two\nlines"), "\"\"\"\ntwo\nlines\n\"\"\"");
  EXPECT_EQ(print_block_string("ends with \""), "\"\"\"\nends with \"\n\"\"\"");
  EXPECT_EQ(print_block_string("has \"\"\" inside"), "\"\"\"has \\\"\"\" inside\"\"\"");
  EXPECT_EQ(print_block_string("  indented"), "\"\"\"  indented\"\"\"");
}

TEST(PrintBlockString, RoundTripsThroughTheLexer) {
  for (const char* value :
       {"", "simple", "  leading space", "trailing space  ", "two\nlines", "  first\nsecond",
        "a\n  b\n    c", "a\n\nb", "ends with quote\"", "ends with backslash\\", "\"\"\" alone",
        "has \"\"\" and \\\"\"\"", "\"\"\"", "x\n   \ny",
        "a very long single line that goes on and on past seventy characters for sure, yes",
        "\ttab first", "a\n\tb"}) {
    SCOPED_TRACE(value);
    expect_round_trip(value);
  }
}

}  // namespace
}  // namespace choreo::graphql
