// Every way a document can be malformed, with the message and position the reference
// implementation (graphql-js) reports, so a conformance suite can compare responses.
#include "graphql/syntax_error.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "graphql/parser.hpp"

namespace choreo::graphql {
namespace {

struct ErrorCase {
  std::string source;
  std::string message;  // without the "Syntax Error: " prefix
  std::uint32_t line;
  std::uint32_t column;
};

void PrintTo(const ErrorCase& c, std::ostream* out) {
  *out << c.source;
}

class SyntaxErrors : public testing::TestWithParam<ErrorCase> {};

TEST_P(SyntaxErrors, ReportMessageAndLocation) {
  const ErrorCase& c = GetParam();
  try {
    parse(c.source);
    FAIL() << "parsed without error";
  } catch (const ParseError& error) {
    EXPECT_EQ(std::string(error.what()), "Syntax Error: " + c.message);
    EXPECT_EQ(error.location().line, c.line);
    EXPECT_EQ(error.location().column, c.column);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Parser, SyntaxErrors,
    testing::Values(
        // Document and definitions
        ErrorCase{"", "Unexpected <EOF>.", 1, 1},
        ErrorCase{"   \n# only a comment\n", "Unexpected <EOF>.", 3, 1},
        ErrorCase{"notAnOperation Foo { field }", "Unexpected Name \"notAnOperation\".", 1, 1},
        ErrorCase{"...", "Unexpected \"...\".", 1, 1},
        ErrorCase{"{ f } &", "Unexpected \"&\".", 1, 7},
        ErrorCase{"query", "Expected \"{\", found <EOF>.", 1, 6},
        ErrorCase{"query Q ) { f }", "Expected \"{\", found \")\".", 1, 9},
        ErrorCase{"\"desc\" query { f }",
                  "Unexpected description, descriptions are supported only on type definitions.", 1,
                  1},
        // Type-system definitions and extensions (their grammar; validation rejects them).
        ErrorCase{"type A {}", "Expected Name, found \"}\".", 1, 9},
        ErrorCase{"type A implements { f: Int }", "Expected Name, found \"{\".", 1, 19},
        ErrorCase{"type A implements B & { f: Int }", "Expected Name, found \"{\".", 1, 23},
        ErrorCase{"type A { f(): Int }", "Expected Name, found \")\".", 1, 12},
        ErrorCase{"type A { f: }", "Expected Name, found \"}\".", 1, 13},
        ErrorCase{"type A { f(a: Int = $x): Int }", "Unexpected variable \"$x\" in constant value.",
                  1, 21},
        ErrorCase{"interface I implements & { f: Int }", "Expected Name, found \"{\".", 1, 26},
        ErrorCase{"union U = |", "Expected Name, found <EOF>.", 1, 12},
        ErrorCase{"union U = A |", "Expected Name, found <EOF>.", 1, 14},
        ErrorCase{"enum E { true }",
                  "Name \"true\" is reserved and cannot be used for an enum value.", 1, 10},
        ErrorCase{"enum E { A, null }",
                  "Name \"null\" is reserved and cannot be used for an enum value.", 1, 13},
        ErrorCase{"enum E {}", "Expected Name, found \"}\".", 1, 9},
        ErrorCase{"input I { f }", "Expected \":\", found \"}\".", 1, 13},
        ErrorCase{"scalar", "Expected Name, found <EOF>.", 1, 7},
        ErrorCase{"schema {}", "Expected Name, found \"}\".", 1, 9},
        ErrorCase{"schema { query Q }", "Expected \":\", found Name \"Q\".", 1, 16},
        ErrorCase{"schema { foo: Q }", "Unexpected Name \"foo\".", 1, 10},
        ErrorCase{"schema @d", "Expected \"{\", found <EOF>.", 1, 10},
        ErrorCase{"directive @d on FOO", "Unexpected Name \"FOO\".", 1, 17},
        ErrorCase{"directive @d FIELD", "Expected \"on\", found Name \"FIELD\".", 1, 14},
        ErrorCase{"directive d on FIELD", "Expected \"@\", found Name \"d\".", 1, 11},
        ErrorCase{"directive @d repeatable", "Expected \"on\", found <EOF>.", 1, 24},
        ErrorCase{"directive @d on FIELD |", "Expected Name, found <EOF>.", 1, 24},
        ErrorCase{"type A { f: Int } \"desc\"", "Unexpected <EOF>.", 1, 25},
        ErrorCase{"\"desc\" extend type A @d",
                  "Unexpected description, descriptions are supported only on type definitions.", 1,
                  1},
        ErrorCase{"\"desc\" fragment F on T { f }",
                  "Unexpected description, descriptions are supported only on type definitions.", 1,
                  1},
        ErrorCase{"\"desc\" { f }", "Unexpected \"{\".", 1, 8},
        ErrorCase{"extend", "Unexpected <EOF>.", 1, 7},
        ErrorCase{"extend foo A", "Unexpected Name \"foo\".", 1, 8},
        ErrorCase{"extend directive @d on FIELD", "Unexpected Name \"directive\".", 1, 8},
        ErrorCase{"extend type A", "Unexpected <EOF>.", 1, 14},
        ErrorCase{"extend type A { f }", "Expected \":\", found \"}\".", 1, 19},
        ErrorCase{"extend schema", "Unexpected <EOF>.", 1, 14},
        ErrorCase{"extend scalar S { }", "Unexpected \"{\".", 1, 17},
        ErrorCase{"extend union U", "Unexpected <EOF>.", 1, 15},
        ErrorCase{"extend enum E", "Unexpected <EOF>.", 1, 14},
        ErrorCase{"extend input I", "Unexpected <EOF>.", 1, 15},
        ErrorCase{"extend interface I", "Unexpected <EOF>.", 1, 19},
        ErrorCase{"extend type A\n{ f }", "Expected \":\", found \"}\".", 2, 5},
        // Selection sets and fields
        ErrorCase{"{", "Expected Name, found <EOF>.", 1, 2},
        ErrorCase{"{ }", "Expected Name, found \"}\".", 1, 3},
        ErrorCase{"{ \"\"", "Expected Name, found String \"\".", 1, 3},
        ErrorCase{"{ a { b { c } }", "Expected Name, found <EOF>.", 1, 16},
        ErrorCase{"{ field: {} }", "Expected Name, found \"{\".", 1, 10},
        ErrorCase{"{ f ? }", "Unexpected character: \"?\".", 1, 5},
        ErrorCase{"{ 1 }", "Expected Name, found Int \"1\".", 1, 3},
        // Arguments and values
        ErrorCase{"{ f() }", "Expected Name, found \")\".", 1, 5},
        ErrorCase{"{ f(a) }", "Expected \":\", found \")\".", 1, 6},
        ErrorCase{"{ f(a: ) }", "Unexpected \")\".", 1, 8},
        ErrorCase{"{ f(a: 1 }", "Expected Name, found \"}\".", 1, 10},
        ErrorCase{"{ f(a: [1, 2) }", "Unexpected \")\".", 1, 13},
        ErrorCase{"{ f(a: {b 1}) }", "Expected \":\", found Int \"1\".", 1, 11},
        ErrorCase{"{ f(a: {1: 2}) }", "Expected Name, found Int \"1\".", 1, 9},
        ErrorCase{"{ f(a: $) }", "Expected Name, found \")\".", 1, 9},
        ErrorCase{"{ f(a: \"x\" \"y\") }", "Expected Name, found String \"y\".", 1, 12},
        ErrorCase{"{ f(a: [\"\"\"block\"\"\" !]) }", "Unexpected \"!\".", 1, 21},
        ErrorCase{"{\n  field(\n    arg: \"ok\"\n    bad\n  )\n}", "Expected \":\", found \")\".",
                  5, 3},
        // Variables
        ErrorCase{"query Foo() { f }", "Expected \"$\", found \")\".", 1, 11},
        ErrorCase{"query Foo($a) { f }", "Expected \":\", found \")\".", 1, 13},
        ErrorCase{"query ($x: ) { f }", "Expected Name, found \")\".", 1, 12},
        ErrorCase{"query ($x: [Int) { f }", "Expected \"]\", found \")\".", 1, 16},
        ErrorCase{"query ($x: Int!!) { f }", "Expected \"$\", found \"!\".", 1, 16},
        ErrorCase{"query ($x: Int = $y) { f }", "Unexpected variable \"$y\" in constant value.", 1,
                  18},
        ErrorCase{"query ($x: Int = [1, {a: $y}]) { f }",
                  "Unexpected variable \"$y\" in constant value.", 1, 26},
        ErrorCase{"query ($x: Int @dir(a: $y)) { f }",
                  "Unexpected variable \"$y\" in constant value.", 1, 24},
        ErrorCase{"query ($x: Int = $) { f }", "Unexpected \"$\".", 1, 18},
        ErrorCase{"query ($x: Int = ) { f }", "Unexpected \")\".", 1, 18},
        // Directives
        ErrorCase{"query Q @ { f }", "Expected Name, found \"{\".", 1, 11},
        ErrorCase{"{ f @dir( ) }", "Expected Name, found \")\".", 1, 11},
        ErrorCase{"{ f @ }", "Expected Name, found \"}\".", 1, 7},
        // Fragments
        ErrorCase{"{ ...on }", "Expected Name, found \"}\".", 1, 9},
        ErrorCase{"{ ... on T }", "Expected \"{\", found \"}\".", 1, 12},
        ErrorCase{"{ ... @d }", "Expected \"{\", found \"}\".", 1, 10},
        ErrorCase{"{ ...MissingOn }\nfragment MissingOn Type",
                  "Expected \"on\", found Name \"Type\".", 2, 20},
        ErrorCase{"fragment on on Type { f }", "Unexpected Name \"on\".", 1, 10},
        ErrorCase{"fragment F { f }", "Expected \"on\", found \"{\".", 1, 12},
        ErrorCase{"fragment F on { f }", "Expected Name, found \"{\".", 1, 15},
        ErrorCase{"mutation M { f } fragment", "Expected Name, found <EOF>.", 1, 26},
        ErrorCase{"fragment F on T", "Expected \"{\", found <EOF>.", 1, 16},
        // Lexical errors surface through the parser with their own positions.
        ErrorCase{"{ f(a: \"unterminated) }", "Unterminated string.", 1, 24},
        ErrorCase{"{ f(a: \"abc\n\") }", "Unterminated string.", 1, 12},
        ErrorCase{"{ f(a: \"\"\"open) }", "Unterminated string.", 1, 18},
        ErrorCase{"{ f(a: 00) }", "Invalid number, unexpected digit after 0: \"0\".", 1, 9},
        ErrorCase{"{ f(a: 0x1) }", "Invalid number, expected digit but got: \"x\".", 1, 9},
        ErrorCase{"{ f(a: 1.) }", "Invalid number, expected digit but got: \")\".", 1, 10},
        ErrorCase{"{ f(a: -) }", "Invalid number, expected digit but got: \")\".", 1, 9},
        ErrorCase{"{ f(a: .5) }", "Unexpected character: \".\".", 1, 8},
        ErrorCase{"{ f(a: \"\\x\") }", "Invalid character escape sequence: \"\\x\".", 1, 9},
        ErrorCase{"{ f(a: \"\\uD800\") }", "Invalid Unicode escape sequence: \"\\uD800\".", 1, 9},
        ErrorCase{"{ f(a: 'x') }",
                  "Unexpected single quote character ('), did you mean to use a double quote "
                  "(\")?",
                  1, 8},
        ErrorCase{"{ f }\x07", "Unexpected character: U+0007.", 1, 6},
        // Columns count UTF-16 code units: "é" is two bytes but one column, "😀" four bytes
        // but two columns.
        ErrorCase{"{ f(a: \"\xC3\xA9\xC3\xA9\") ? }", "Unexpected character: \"?\".", 1, 14},
        ErrorCase{"{ f(a: \"\xF0\x9F\x98\x80\") ? }", "Unexpected character: \"?\".", 1, 14},
        ErrorCase{"# \xF0\x9F\x98\x80\xF0\x9F\x98\x80\n  \"\xF0\x9F\x98\x80\" ?",
                  "Unexpected character: \"?\".", 2, 8},
        ErrorCase{"\r\n\r\n{ f\r\n\r  ?", "Unexpected character: \"?\".", 5, 3}));

}  // namespace
}  // namespace choreo::graphql
