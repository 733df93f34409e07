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

const std::string kNotExecutable =
    " are not executable; a document may only contain operations and fragments.";

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
        // Type-system definitions are recognized and refused.
        ErrorCase{"type Query { f: Int }", "Object type definitions" + kNotExecutable, 1, 1},
        ErrorCase{"{ f }\n\n  scalar Date", "Scalar type definitions" + kNotExecutable, 3, 3},
        ErrorCase{"schema { query: Q }", "Schema definitions" + kNotExecutable, 1, 1},
        ErrorCase{"interface I { f: Int }", "Interface type definitions" + kNotExecutable, 1, 1},
        ErrorCase{"union U = A | B", "Union type definitions" + kNotExecutable, 1, 1},
        ErrorCase{"enum E { A }", "Enum type definitions" + kNotExecutable, 1, 1},
        ErrorCase{"input I { f: Int }", "Input object type definitions" + kNotExecutable, 1, 1},
        ErrorCase{"directive @d on FIELD", "Directive definitions" + kNotExecutable, 1, 1},
        ErrorCase{"extend type Query { g: Int }", "Type system extensions" + kNotExecutable, 1, 1},
        ErrorCase{"\"\"\"Described\"\"\" type T { f: Int }",
                  "Object type definitions" + kNotExecutable, 1, 1},
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
        // Columns count code points: "é" is two bytes but one column.
        ErrorCase{"{ f(a: \"\xC3\xA9\xC3\xA9\") ? }", "Unexpected character: \"?\".", 1, 14},
        ErrorCase{"\r\n\r\n{ f\r\n\r  ?", "Unexpected character: \"?\".", 5, 3}));

}  // namespace
}  // namespace choreo::graphql
