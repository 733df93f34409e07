#include "graphql/printer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "graphql/ast_equivalence.hpp"
#include "graphql/parser.hpp"

namespace choreo::graphql {
namespace {

// print(parse(x)) must parse back to the same tree, and printing is a fixed point from there.
void expect_round_trip(const std::string& source) {
  const Document original = parse(source);
  const std::string printed = print(original);
  const Document reparsed = parse(printed);
  EXPECT_TRUE(equivalent(original, reparsed)) << printed;
  EXPECT_EQ(print(reparsed), printed);
}

TEST(Printer, PrintsTheSeedMutation) {
  const Document document = parse(
      R"(mutation { createOrder(input: { identifier: "ord-001", total: "49.99" }) { id status } })");
  EXPECT_EQ(print(document),
            "mutation {\n"
            "  createOrder(input: {identifier: \"ord-001\", total: \"49.99\"}) {\n"
            "    id\n"
            "    status\n"
            "  }\n"
            "}");
}

TEST(Printer, PrintsTheSeedQueryAsTheShorthand) {
  const Document document =
      parse(R"(query { order(id: "550e8400-e29b-41d4-a716-446655440000") { id status } })");
  EXPECT_EQ(print(document),
            "{\n"
            "  order(id: \"550e8400-e29b-41d4-a716-446655440000\") {\n"
            "    id\n"
            "    status\n"
            "  }\n"
            "}");
}

TEST(Printer, PrintsOperationHeadersFragmentsAndDirectives) {
  const Document document = parse(R"(
query Orders($limit: Int = 20, $ids: [ID!]! @meta(a: 1)) @cached(ttl: 5) {
  orders(limit: $limit) { ...OrderFields ... on Order @skip(if: false) { total } ... { id } }
}
subscription($orderId: ID) { orderStatusUpdated(orderId: $orderId) { status } }
fragment OrderFields on Order @keep { first: id }
)");
  EXPECT_EQ(print(document),
            "query Orders($limit: Int = 20, $ids: [ID!]! @meta(a: 1)) @cached(ttl: 5) {\n"
            "  orders(limit: $limit) {\n"
            "    ...OrderFields\n"
            "    ... on Order @skip(if: false) {\n"
            "      total\n"
            "    }\n"
            "    ... {\n"
            "      id\n"
            "    }\n"
            "  }\n"
            "}\n"
            "\n"
            "subscription ($orderId: ID) {\n"
            "  orderStatusUpdated(orderId: $orderId) {\n"
            "    status\n"
            "  }\n"
            "}\n"
            "\n"
            "fragment OrderFields on Order @keep {\n"
            "  first: id\n"
            "}");
}

TEST(Printer, KeepsTheLongFormWhenTheQueryHasAnythingButASelectionSet) {
  EXPECT_EQ(print(parse("query Q { a }")), "query Q {\n  a\n}");
  EXPECT_EQ(print(parse("query @d { a }")), "query @d {\n  a\n}");
}

TEST(Printer, PrintsValues) {
  EXPECT_EQ(print(parse_value(R"([1, -2.5e3, "s", true, false, null, ENUM, $v, {a: [], b: {}}])")),
            R"([1, -2.5e3, "s", true, false, null, ENUM, $v, {a: [], b: {}}])");
  EXPECT_EQ(print(parse_value(R"("quote \" backslash \\ slash \/ \b\f\n\r\t \u0001 \u007F é")")),
            "\"quote \\\" backslash \\\\ slash / \\b\\f\\n\\r\\t \\u0001 \\u007F \xC3\xA9\"");
  EXPECT_EQ(print(parse_value(R"("\u{1F600}")")), "\"\xF0\x9F\x98\x80\"");
  EXPECT_EQ(print(parse_value("\"\"\"block\"\"\"")), "\"\"\"block\"\"\"");
}

TEST(Printer, PrintsTypes) {
  EXPECT_EQ(print(parse_type("[ [ Int ! ] ! ]")), "[[Int!]!]");
  EXPECT_EQ(print(parse_type("Order")), "Order");
}

TEST(Printer, IndentsMultiLineBlockStringsWithoutChangingThem) {
  const Document document = parse(R"({ a { b(text: """
      first
        second

      third
  """) } })");
  EXPECT_EQ(print(document),
            "{\n"
            "  a {\n"
            "    b(text: \"\"\"\n"
            "    first\n"
            "      second\n"
            "    \n"
            "    third\n"
            "    \"\"\")\n"
            "  }\n"
            "}");
  expect_round_trip(print(document));
}

TEST(Printer, FallsBackToAnOrdinaryStringWhenABlockStringCannotHoldTheValue) {
  // Leading blank lines and a carriage return would not survive a block string.
  const Value leading{StringValue{"\n  indented", true}, {}};
  EXPECT_EQ(print(leading), "\"\\n  indented\"");
  const Value carriage_return{StringValue{"a\rb", true}, {}};
  EXPECT_EQ(print(carriage_return), "\"a\\rb\"");
}

TEST(Printer, RoundTripsAKitchenSinkDocument) {
  expect_round_trip(R"(
# Comments and commas are ignored.
query KitchenSink($id: ID! = "1", $flag: Boolean = false, $list: [[Int!]]! = [[1, 2], [3]],
                  $object: Input = {nested: {deep: [null, ENUM, 1.5e10]}}) @op(a: 1) {
  alias: field(arg: $id, other: "with \"escapes\" \u00e9 \u{1F600}") @include(if: $flag) {
    id,
    ... on Order @defer { total }
    ...Spread @skip(if: true)
    ... @inline { nested { deeper { deepest(arg: """
      block
        string with \""" quotes
    """) } } }
  }
  mutation
  subscription: query
  fragment: on
}

mutation Create { createOrder(input: {identifier: "ord-001", total: "49.99", items: [{sku: "A", quantity: 2}]}) { id } }

subscription Watch($orderId: ID) { orderStatusUpdated(orderId: $orderId) { status } }

{ shorthand }

fragment Spread on Order @frag(x: [1, $y]) { items { sku quantity unitPrice } }
)");
}

TEST(Printer, RoundTripsBlockStringsOfEveryShape) {
  for (const char* block : {R"("""""")", R"("""  leading space""")", R"("""ends with quote" """)",
                            "\"\"\"\n  a\n\n  \n    b\n\"\"\"", "\"\"\"  first\n    second\"\"\"",
                            R"("""contains \""" quotes""")", "\"\"\"ends with backslash\\\n\"\"\"",
                            "\"\"\"\ta\n\tb\"\"\""}) {
    SCOPED_TRACE(block);
    expect_round_trip(std::string("{ a { b(s: ") + block + ") } }");
  }
}

// A document with more than 10,000 tokens, built from every construct, survives the round trip.
TEST(Printer, RoundTripsALargeGeneratedDocument) {
  std::string source;
  std::size_t tokens = 0;
  for (int op = 0; op < 60; ++op) {
    source += "query Op" + std::to_string(op) + "($v: [Int!] = [1, 2], $w: In = {a: \"x\"}) {\n";
    tokens += 24;
    for (int field = 0; field < 8; ++field) {
      source +=
          "  a" + std::to_string(field) + ": f" + std::to_string(field) +
          "(i: -12, f: 3.25e2, s: \"s\\n" + std::to_string(field) +
          "\", b: true, n: null, e: RED, l: [$v, {k: $w}]) @d(if: false) {\n"
          "    x ...Frag ... on T { y } ... @skip(if: true) { z(b: \"\"\"block\n  line\"\"\") }\n"
          "  }\n";
      tokens += 72;
    }
    source += "}\n";
    tokens += 1;
  }
  source += "fragment Frag on T { q }\n";
  tokens += 8;
  ASSERT_GT(tokens, 10'000U);
  expect_round_trip(source);
}

}  // namespace
}  // namespace choreo::graphql
