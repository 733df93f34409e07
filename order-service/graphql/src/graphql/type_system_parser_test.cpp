// The type-system half of the grammar: schema, type and directive definitions and extensions.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "graphql/ast_equivalence.hpp"
#include "graphql/parser.hpp"
#include "graphql/printer.hpp"
#include "graphql/syntax_error.hpp"

namespace choreo::graphql {
namespace {

template <typename Node>
const Node& definition_at(const Document& document, std::size_t index) {
  return std::get<Node>(document.definitions.at(index));
}

void expect_round_trip(const std::string& source) {
  const Document document = parse(source);
  const std::string printed = print(document);
  const Document reparsed = parse(printed);
  EXPECT_TRUE(equivalent(document, reparsed)) << printed;
  EXPECT_EQ(print(reparsed), printed);
}

const char* const kEverything = R"(
"""
The schema.
"""
schema @a { query: Q mutation: M subscription: S }
"Scalar." scalar Date @specifiedBy(url: "https://example.com")
type Order implements & Node & Entity @key(fields: "id") {
  "The id." id: ID!
  items("How many." first: Int = 10 @deprecated, after: String): [Item!]! @cost(weight: 2)
}
interface Node implements Entity { id: ID! }
union Result @u = | Order | Error
enum Status { "Waiting." PENDING @x, PAID }
input NewOrder @i { identifier: String! = "x" @d, items: [ItemInput!] = [{sku: "a"}] }
"Directive." directive @cost(weight: Int!) repeatable on | FIELD_DEFINITION | OBJECT
extend schema @b { subscription: S2 }
extend scalar Date @c
extend type Order implements Other @e { more: Int }
extend interface Node @f
extend union Result = Other
extend enum Status { LOST }
extend input NewOrder { note: String }
query Q { order { id } }
)";

TEST(TypeSystemParser, ParsesEveryDefinitionAndExtension) {
  const Document document = parse(kEverything);
  ASSERT_EQ(document.definitions.size(), 16U);

  const auto& schema = definition_at<type_system::SchemaDefinition>(document, 0);
  ASSERT_TRUE(schema.description.has_value());
  EXPECT_TRUE(schema.description->block);
  EXPECT_EQ(schema.description->value, "The schema.");
  EXPECT_EQ(schema.location, (SourceLocation{2, 1}));
  ASSERT_EQ(schema.operation_types.size(), 3U);
  EXPECT_EQ(schema.operation_types[2].operation, OperationType::kSubscription);
  EXPECT_EQ(schema.operation_types[2].type.value, "S");
  EXPECT_FALSE(schema.extension);

  const auto& scalar = definition_at<type_system::ScalarTypeDefinition>(document, 1);
  EXPECT_EQ(scalar.name, "Date");
  EXPECT_EQ(scalar.description->value, "Scalar.");
  EXPECT_EQ(scalar.directives.at(0).name, "specifiedBy");

  const auto& order = definition_at<type_system::ObjectTypeDefinition>(document, 2);
  ASSERT_EQ(order.interfaces.size(), 2U);
  EXPECT_EQ(order.interfaces[1].value, "Entity");
  EXPECT_EQ(order.interfaces[0].location, (SourceLocation{7, 25}));
  ASSERT_EQ(order.fields.size(), 2U);
  EXPECT_EQ(order.fields[0].description->value, "The id.");
  const auto& items = order.fields[1];
  EXPECT_EQ(print(items.type), "[Item!]!");
  ASSERT_EQ(items.arguments.size(), 2U);
  EXPECT_EQ(items.arguments[0].description->value, "How many.");
  EXPECT_EQ(print(*items.arguments[0].default_value), "10");
  EXPECT_EQ(items.arguments[0].directives.at(0).name, "deprecated");
  EXPECT_EQ(items.directives.at(0).name, "cost");

  const auto& node = definition_at<type_system::InterfaceTypeDefinition>(document, 3);
  EXPECT_EQ(node.interfaces.at(0).value, "Entity");

  const auto& result = definition_at<type_system::UnionTypeDefinition>(document, 4);
  ASSERT_EQ(result.members.size(), 2U);
  EXPECT_EQ(result.members[0].value, "Order");

  const auto& status = definition_at<type_system::EnumTypeDefinition>(document, 5);
  ASSERT_EQ(status.values.size(), 2U);
  EXPECT_EQ(status.values[0].description->value, "Waiting.");
  EXPECT_EQ(status.values[0].directives.at(0).name, "x");

  const auto& input = definition_at<type_system::InputObjectTypeDefinition>(document, 6);
  ASSERT_EQ(input.fields.size(), 2U);
  EXPECT_EQ(print(*input.fields[1].default_value), "[{sku: \"a\"}]");

  const auto& cost = definition_at<type_system::DirectiveDefinition>(document, 7);
  EXPECT_EQ(cost.name, "cost");
  EXPECT_TRUE(cost.repeatable);
  ASSERT_EQ(cost.locations.size(), 2U);
  EXPECT_EQ(cost.locations[1].value, "OBJECT");

  const auto& schema_extension = definition_at<type_system::SchemaDefinition>(document, 8);
  EXPECT_TRUE(schema_extension.extension);
  EXPECT_EQ(schema_extension.location, (SourceLocation{16, 1}));
  EXPECT_TRUE(definition_at<type_system::ScalarTypeDefinition>(document, 9).extension);
  const auto& order_extension = definition_at<type_system::ObjectTypeDefinition>(document, 10);
  EXPECT_TRUE(order_extension.extension);
  EXPECT_EQ(order_extension.interfaces.at(0).value, "Other");
  EXPECT_TRUE(definition_at<type_system::InterfaceTypeDefinition>(document, 11).extension);
  EXPECT_TRUE(definition_at<type_system::UnionTypeDefinition>(document, 12).extension);
  EXPECT_TRUE(definition_at<type_system::EnumTypeDefinition>(document, 13).extension);
  EXPECT_TRUE(definition_at<type_system::InputObjectTypeDefinition>(document, 14).extension);
  EXPECT_TRUE(std::holds_alternative<OperationDefinition>(document.definitions.at(15)));
}

TEST(TypeSystemParser, KeywordsAreOrdinaryNamesInsideDefinitions) {
  const Document document =
      parse("type type { schema: scalar, extend(on: input): enum } enum on { type, query }");
  const auto& object = definition_at<type_system::ObjectTypeDefinition>(document, 0);
  EXPECT_EQ(object.name, "type");
  EXPECT_EQ(object.fields.at(1).name, "extend");
  EXPECT_EQ(definition_at<type_system::EnumTypeDefinition>(document, 1).values.at(1).name, "query");
}

TEST(TypeSystemParser, AllowsEmptyBodiesWhereTheGrammarDoes) {
  const Document document = parse("type A scalar B union C enum D input E interface F");
  EXPECT_EQ(document.definitions.size(), 6U);
  EXPECT_TRUE(definition_at<type_system::ObjectTypeDefinition>(document, 0).fields.empty());
}

TEST(TypeSystemParser, PrintsAndReparsesToTheSameTree) {
  expect_round_trip(kEverything);
  // A type without a body followed by the query shorthand must not print as a body.
  expect_round_trip("type A query { a }");
  expect_round_trip("extend schema @d query { a }");
  expect_round_trip(
      "\"\"\"\n  multi\n  line\n\"\"\" type A { \"\"\"x\"\"\" f(\"\"\"y\"\"\" a: Int): Int }");
}

TEST(TypeSystemParser, PrintsReadably) {
  EXPECT_EQ(print(parse("\"D\" type A implements B & C @d { f(a: Int = 1): [Int!] }")),
            "\"D\"\ntype A implements B & C @d {\n  f(a: Int = 1): [Int!]\n}");
  EXPECT_EQ(print(parse("extend union U = A | B directive @x repeatable on FIELD | QUERY")),
            "extend union U = A | B\n\ndirective @x repeatable on FIELD | QUERY");
}

TEST(TypeSystemParser, TheDepthLimitCoversDefinitions) {
  ParseOptions options;
  options.max_depth = 3;
  EXPECT_NO_THROW(parse("type A { f(a: [[Int]] = [[1]]): Int }", options));
  EXPECT_THROW(parse("type A { f(a: [[[[Int]]]]): Int }", options), ParseError);
  EXPECT_THROW(parse("input A { f: Int = {a: {b: {c: {d: 1}}}} }", options), ParseError);
}

}  // namespace
}  // namespace choreo::graphql
