#include "graphql/parser.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <variant>

#include "graphql/syntax_error.hpp"

namespace choreo::graphql {
namespace {

const OperationDefinition& only_operation(const Document& document) {
  EXPECT_EQ(document.definitions.size(), 1U);
  return std::get<OperationDefinition>(document.definitions.at(0));
}

const Field& field_at(const SelectionSet& set, std::size_t index) {
  return std::get<Field>(set.selections.at(index));
}

const Value& argument_value(const Field& field, std::string_view name) {
  for (const Argument& argument : field.arguments) {
    if (argument.name == name) {
      return argument.value;
    }
  }
  throw std::runtime_error("no argument " + std::string(name));
}

TEST(Parser, ParsesTheQueryShorthand) {
  const Document document = parse("{ order { id } }");
  const OperationDefinition& operation = only_operation(document);
  EXPECT_EQ(operation.operation, OperationType::kQuery);
  EXPECT_FALSE(operation.name.has_value());
  EXPECT_TRUE(operation.variable_definitions.empty());
  EXPECT_EQ(operation.location, (SourceLocation{1, 1}));
  const Field& order = field_at(operation.selection_set, 0);
  EXPECT_EQ(order.name, "order");
  EXPECT_EQ(order.location, (SourceLocation{1, 3}));
  ASSERT_TRUE(order.selection_set.has_value());
  EXPECT_EQ(order.selection_set->location, (SourceLocation{1, 9}));
  const Field& id = field_at(*order.selection_set, 0);
  EXPECT_EQ(id.name, "id");
  EXPECT_FALSE(id.selection_set.has_value());
}

TEST(Parser, ParsesNamedOperationsOfEveryType) {
  const Document document =
      parse("query Q { a } mutation M { b } subscription S { c } query { d }");
  ASSERT_EQ(document.definitions.size(), 4U);
  const auto& q = std::get<OperationDefinition>(document.definitions[0]);
  const auto& m = std::get<OperationDefinition>(document.definitions[1]);
  const auto& s = std::get<OperationDefinition>(document.definitions[2]);
  const auto& anonymous = std::get<OperationDefinition>(document.definitions[3]);
  EXPECT_EQ(q.operation, OperationType::kQuery);
  EXPECT_EQ(q.name, "Q");
  EXPECT_EQ(m.operation, OperationType::kMutation);
  EXPECT_EQ(m.name, "M");
  EXPECT_EQ(m.location, (SourceLocation{1, 15}));
  EXPECT_EQ(s.operation, OperationType::kSubscription);
  EXPECT_EQ(s.name, "S");
  EXPECT_FALSE(anonymous.name.has_value());
  EXPECT_EQ(operation_type_name(s.operation), "subscription");
}

TEST(Parser, KeywordsAreOrdinaryNamesElsewhere) {
  const Document document =
      parse("query query($query: query = query) @query { query: query(query: query) { on } }");
  const OperationDefinition& operation = only_operation(document);
  EXPECT_EQ(operation.name, "query");
  EXPECT_EQ(operation.variable_definitions.at(0).name, "query");
  const Field& field = field_at(operation.selection_set, 0);
  EXPECT_EQ(field.alias, "query");
  EXPECT_EQ(std::get<EnumValue>(argument_value(field, "query").kind).name, "query");
  EXPECT_EQ(field_at(*field.selection_set, 0).name, "on");
}

TEST(Parser, ParsesAliasesArgumentsAndDirectivesOnFields) {
  const Document document =
      parse("{ first: order(id: \"1\", verbose: true) @include(if: $yes) @log { id }, plain }");
  const SelectionSet& set = only_operation(document).selection_set;
  ASSERT_EQ(set.selections.size(), 2U);
  const Field& first = field_at(set, 0);
  EXPECT_EQ(first.alias, "first");
  EXPECT_EQ(first.name, "order");
  EXPECT_EQ(first.response_key(), "first");
  ASSERT_EQ(first.arguments.size(), 2U);
  EXPECT_EQ(first.arguments[0].name, "id");
  EXPECT_EQ(first.arguments[0].location, (SourceLocation{1, 16}));
  EXPECT_EQ(std::get<StringValue>(first.arguments[0].value.kind).value, "1");
  EXPECT_EQ(first.arguments[1].value.location, (SourceLocation{1, 34}));
  ASSERT_EQ(first.directives.size(), 2U);
  EXPECT_EQ(first.directives[0].name, "include");
  EXPECT_EQ(first.directives[0].location, (SourceLocation{1, 40}));
  EXPECT_EQ(std::get<Variable>(first.directives[0].arguments.at(0).value.kind).name, "yes");
  EXPECT_EQ(first.directives[1].name, "log");
  EXPECT_TRUE(first.directives[1].arguments.empty());
  const Field& plain = field_at(set, 1);
  EXPECT_FALSE(plain.alias.has_value());
  EXPECT_EQ(plain.response_key(), "plain");
}

TEST(Parser, ParsesEveryValueKind) {
  const Document document = parse(R"({ f(
      variable: $v
      int: -12
      big: 123456789012345678901234567890
      float: 1.5e-3
      string: "a\tb"
      block: """
        indented
      """
      yes: true
      no: false
      nothing: null
      enum: ACTIVE
      list: [1, "two", [3], $four]
      empty_list: []
      object: {a: 1, b: {c: [null]}, a: 2}
      empty_object: {}
  ) })");
  const Field& f = field_at(only_operation(document).selection_set, 0);
  EXPECT_EQ(std::get<Variable>(argument_value(f, "variable").kind).name, "v");
  EXPECT_EQ(std::get<IntValue>(argument_value(f, "int").kind).text, "-12");
  EXPECT_EQ(std::get<IntValue>(argument_value(f, "big").kind).text,
            "123456789012345678901234567890");
  EXPECT_EQ(std::get<FloatValue>(argument_value(f, "float").kind).text, "1.5e-3");
  const auto& string = std::get<StringValue>(argument_value(f, "string").kind);
  EXPECT_EQ(string.value, "a\tb");
  EXPECT_FALSE(string.block);
  const auto& block = std::get<StringValue>(argument_value(f, "block").kind);
  EXPECT_EQ(block.value, "indented");
  EXPECT_TRUE(block.block);
  EXPECT_TRUE(std::get<BooleanValue>(argument_value(f, "yes").kind).value);
  EXPECT_FALSE(std::get<BooleanValue>(argument_value(f, "no").kind).value);
  EXPECT_TRUE(std::holds_alternative<NullValue>(argument_value(f, "nothing").kind));
  EXPECT_EQ(std::get<EnumValue>(argument_value(f, "enum").kind).name, "ACTIVE");

  const auto& list = std::get<ListValue>(argument_value(f, "list").kind);
  ASSERT_EQ(list.values.size(), 4U);
  EXPECT_EQ(std::get<IntValue>(list.values[0].kind).text, "1");
  EXPECT_EQ(std::get<StringValue>(list.values[1].kind).value, "two");
  EXPECT_EQ(std::get<ListValue>(list.values[2].kind).values.size(), 1U);
  EXPECT_EQ(std::get<Variable>(list.values[3].kind).name, "four");
  EXPECT_EQ(list.values[1].location, (SourceLocation{14, 17}));
  EXPECT_TRUE(std::get<ListValue>(argument_value(f, "empty_list").kind).values.empty());

  const auto& object = std::get<ObjectValue>(argument_value(f, "object").kind);
  ASSERT_EQ(object.fields.size(), 3U);  // the duplicate is kept for validation to report
  EXPECT_EQ(object.fields[0].name, "a");
  EXPECT_EQ(object.fields[1].location, (SourceLocation{16, 22}));
  const auto& inner = std::get<ObjectValue>(object.fields[1].value.kind);
  EXPECT_TRUE(std::holds_alternative<NullValue>(
      std::get<ListValue>(inner.fields.at(0).value.kind).values.at(0).kind));
  EXPECT_TRUE(std::get<ObjectValue>(argument_value(f, "empty_object").kind).fields.empty());
}

TEST(Parser, TrueFalseAndNullAreNeverEnumValues) {
  EXPECT_TRUE(std::holds_alternative<BooleanValue>(parse_value("true").kind));
  EXPECT_TRUE(std::holds_alternative<BooleanValue>(parse_value("false").kind));
  EXPECT_TRUE(std::holds_alternative<NullValue>(parse_value("null").kind));
  // Case matters: these are enum values.
  EXPECT_EQ(std::get<EnumValue>(parse_value("TRUE").kind).name, "TRUE");
  EXPECT_EQ(std::get<EnumValue>(parse_value("Null").kind).name, "Null");
}

TEST(Parser, ParsesVariableDefinitions) {
  const Document document = parse(
      "query Q($id: ID!, $limit: Int = 20 @deprecated, $tags: [String!]! = [\"a\"], "
      "$matrix: [[Float]], $filter: Filter = {status: PAID, min: 1.5}) { f }");
  const OperationDefinition& operation = only_operation(document);
  ASSERT_EQ(operation.variable_definitions.size(), 5U);

  const VariableDefinition& id = operation.variable_definitions[0];
  EXPECT_EQ(id.name, "id");
  EXPECT_EQ(id.location, (SourceLocation{1, 9}));
  const auto& id_type = std::get<NonNullType>(id.type.kind);
  EXPECT_EQ(std::get<NamedType>(id_type.nullable_type->kind).name, "ID");
  EXPECT_EQ(id.type.location, (SourceLocation{1, 14}));
  EXPECT_FALSE(id.default_value.has_value());

  const VariableDefinition& limit = operation.variable_definitions[1];
  EXPECT_EQ(std::get<NamedType>(limit.type.kind).name, "Int");
  ASSERT_TRUE(limit.default_value.has_value());
  EXPECT_EQ(std::get<IntValue>(limit.default_value->kind).text, "20");
  ASSERT_EQ(limit.directives.size(), 1U);
  EXPECT_EQ(limit.directives[0].name, "deprecated");

  const VariableDefinition& tags = operation.variable_definitions[2];
  const auto& tags_list =
      std::get<ListType>(std::get<NonNullType>(tags.type.kind).nullable_type->kind);
  const auto& tags_item = std::get<NonNullType>(tags_list.item_type->kind);
  EXPECT_EQ(std::get<NamedType>(tags_item.nullable_type->kind).name, "String");

  const VariableDefinition& matrix = operation.variable_definitions[3];
  const auto& outer = std::get<ListType>(matrix.type.kind);
  const auto& inner = std::get<ListType>(outer.item_type->kind);
  EXPECT_EQ(std::get<NamedType>(inner.item_type->kind).name, "Float");

  const VariableDefinition& filter = operation.variable_definitions[4];
  EXPECT_EQ(std::get<ObjectValue>(filter.default_value->kind).fields.size(), 2U);
}

TEST(Parser, ParsesFragments) {
  const Document document = parse(R"(
query {
  order(id: 1) {
    ...OrderFields @include(if: true)
    ... on Order { status }
    ... @skip(if: false) { id }
    ... { total }
  }
}

fragment OrderFields on Order @keep { id items { sku } }
)");
  ASSERT_EQ(document.definitions.size(), 2U);
  const auto& operation = std::get<OperationDefinition>(document.definitions[0]);
  const Field& order = field_at(operation.selection_set, 0);
  const SelectionSet& set = *order.selection_set;
  ASSERT_EQ(set.selections.size(), 4U);

  const auto& spread = std::get<FragmentSpread>(set.selections[0]);
  EXPECT_EQ(spread.name, "OrderFields");
  EXPECT_EQ(spread.location, (SourceLocation{4, 5}));
  EXPECT_EQ(spread.directives.at(0).name, "include");

  const auto& typed = std::get<InlineFragment>(set.selections[1]);
  ASSERT_TRUE(typed.type_condition.has_value());
  EXPECT_EQ(typed.type_condition->name, "Order");
  EXPECT_EQ(typed.type_condition->location, (SourceLocation{5, 12}));
  EXPECT_EQ(field_at(typed.selection_set, 0).name, "status");

  const auto& directed = std::get<InlineFragment>(set.selections[2]);
  EXPECT_FALSE(directed.type_condition.has_value());
  EXPECT_EQ(directed.directives.at(0).name, "skip");

  const auto& bare = std::get<InlineFragment>(set.selections[3]);
  EXPECT_FALSE(bare.type_condition.has_value());
  EXPECT_TRUE(bare.directives.empty());

  const auto& fragment = std::get<FragmentDefinition>(document.definitions[1]);
  EXPECT_EQ(fragment.name, "OrderFields");
  EXPECT_EQ(fragment.location, (SourceLocation{11, 1}));
  EXPECT_EQ(fragment.type_condition.name, "Order");
  EXPECT_EQ(fragment.directives.at(0).name, "keep");
  EXPECT_EQ(fragment.selection_set.selections.size(), 2U);
}

TEST(Parser, ParsesStandaloneTypesAndValues) {
  const Type type = parse_type("[ID!]!");
  const auto& list = std::get<ListType>(std::get<NonNullType>(type.kind).nullable_type->kind);
  EXPECT_EQ(
      std::get<NamedType>(std::get<NonNullType>(list.item_type->kind).nullable_type->kind).name,
      "ID");
  EXPECT_EQ(std::get<Variable>(parse_value("$x").kind).name, "x");
  EXPECT_THROW(parse_const_value("[$x]"), ParseError);
  EXPECT_EQ(std::get<ListValue>(parse_const_value("[1]").kind).values.size(), 1U);
  EXPECT_THROW(parse_value("1 2"), ParseError);
  EXPECT_THROW(parse_type("Int Int"), ParseError);
}

TEST(Parser, CopiesAreDeep) {
  const Document original = parse("query($x: [[Int!]] = [[1]]) { a { b } }");
  Document copy = original;
  auto& copied_type =
      std::get<OperationDefinition>(copy.definitions[0]).variable_definitions[0].type;
  std::get<ListType>(copied_type.kind).item_type = Type{NamedType{"Changed"}, {}};
  const auto& original_type =
      std::get<OperationDefinition>(original.definitions[0]).variable_definitions[0].type;
  EXPECT_TRUE(
      std::holds_alternative<ListType>(std::get<ListType>(original_type.kind).item_type->kind));
}

// ---- Limits ----

std::string nested_selections(std::size_t depth) {
  std::string source = "{";
  for (std::size_t i = 1; i < depth; ++i) {
    source += "a{";
  }
  source += "a";
  source.append(depth, '}');
  return source;
}

TEST(ParserLimits, AcceptsNestingUpToTheLimit) {
  EXPECT_NO_THROW(parse(nested_selections(256)));
  EXPECT_NO_THROW(parse("{ f(a: " + std::string(255, '[') + std::string(255, ']') + ") }"));
  EXPECT_NO_THROW(parse(nested_selections(10), ParseOptions{.max_depth = 10}));
}

TEST(ParserLimits, RejectsDeeperNestingWhereItExceeds) {
  try {
    parse(nested_selections(257));
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "Syntax Error: Document is nested too deeply.");
    EXPECT_EQ(error.location(), (SourceLocation{1, 513}));
  }
  // Lists, objects, list types and inline fragments count alike, with selection sets.
  EXPECT_THROW(parse("{ f(a: " + std::string(256, '[') + std::string(256, ']') + ") }"),
               ParseError);
  std::string objects = "{ f(a: ";
  for (int i = 0; i < 300; ++i) {
    objects += "{a: ";
  }
  EXPECT_THROW(parse(objects), ParseError);
  EXPECT_THROW(
      parse("query($x: " + std::string(300, '[') + "Int" + std::string(300, ']') + ") { f }"),
      ParseError);
  std::string fragments = "{";
  for (int i = 0; i < 300; ++i) {
    fragments += "... {";
  }
  EXPECT_THROW(parse(fragments), ParseError);
  EXPECT_THROW(parse(nested_selections(11), ParseOptions{.max_depth = 10}), ParseError);
}

TEST(ParserLimits, HostileNestingFailsFastWithoutOverflowingTheStack) {
  const std::string source = std::string(1'000'000, '[');
  EXPECT_THROW(parse_value(source), ParseError);
  EXPECT_THROW(parse(nested_selections(1'000'000)), ParseError);
}

TEST(ParserLimits, EnforcesTheTokenLimitWhenGiven) {
  EXPECT_NO_THROW(parse("{ foo }", ParseOptions{.max_tokens = 3}));
  try {
    parse("{ foo }", ParseOptions{.max_tokens = 2});
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(),
                 "Syntax Error: Document contains more than 2 tokens. Parsing aborted.");
    EXPECT_EQ(error.location(), (SourceLocation{1, 7}));
  }
  // No limit by default.
  std::string wide = "{";
  for (int i = 0; i < 5000; ++i) {
    wide += " f" + std::to_string(i);
  }
  wide += " }";
  EXPECT_EQ(only_operation(parse(wide)).selection_set.selections.size(), 5000U);
}

}  // namespace
}  // namespace choreo::graphql
