#include "graphql/schema.hpp"

#include <gtest/gtest.h>

#include <string>

#include "graphql/schema_impl.hpp"
#include "graphql/test_schema.hpp"

namespace choreo::graphql {
namespace {

Resolved nothing(const FieldContext&) {
  return Resolved();
}

FieldDefinition field(std::string name, std::string type,
                      std::vector<ArgumentDefinition> arguments = {}) {
  return FieldDefinition{std::move(name), std::move(type), std::move(arguments), nothing, {}, {}};
}

std::string build_error(SchemaBuilder& builder) {
  try {
    builder.build();
  } catch (const SchemaError& error) {
    return error.what();
  }
  return "no error";
}

TEST(Schema, LinksTypesAndKeepsDefinitionOrder) {
  const Schema schema = testing::make_test_schema();
  const Schema::Impl& impl = schema.impl();
  ASSERT_NE(impl.query, nullptr);
  EXPECT_EQ(impl.query->name, "Query");
  EXPECT_EQ(impl.mutation->name, "Mutation");
  EXPECT_EQ(impl.subscription, nullptr);
  const OutputFieldDefinition* orders = impl.query->find_field("orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->type.sdl(), "[Order!]!");
  EXPECT_EQ(&orders->type.base(), impl.find_type("Order"));
  ASSERT_EQ(orders->arguments.size(), 2U);
  EXPECT_EQ(*orders->arguments[0].default_value->integer(), 20);
  EXPECT_EQ(impl.types[0]->name, "Int");
  EXPECT_EQ(impl.types[5]->name, "Decimal");
  ASSERT_NE(impl.find_directive("include"), nullptr);
  ASSERT_NE(impl.find_directive("skip"), nullptr);
  ASSERT_NE(impl.find_directive("deprecated"), nullptr);
  EXPECT_EQ(impl.find_type("Order")->find_field("legacy")->deprecation_reason, "Use identifier.");
}

TEST(Schema, CoercesInputFieldDefaultsAtBuildTime) {
  const Schema schema = testing::make_test_schema();
  const TypeDefinition* item = schema.impl().find_type("OrderItemInput");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(*item->find_input_field("quantity")->default_value->integer(), 1);
}

TEST(Schema, RejectsUnknownTypeReferences) {
  SchemaBuilder builder;
  builder.object("Query", {field("order", "[Ordr!]")}).query("Query");
  EXPECT_EQ(build_error(builder), "Query.order refers to unknown type \"Ordr\".");
}

TEST(Schema, RejectsUnparsableTypeReferences) {
  SchemaBuilder builder;
  builder.object("Query", {field("order", "[Order")}).query("Query");
  EXPECT_NE(build_error(builder).find("does not parse"), std::string::npos);
}

TEST(Schema, RejectsDuplicateNames) {
  SchemaBuilder types;
  types.object("Query", {field("a", "Int")}).object("Query", {field("b", "Int")}).query("Query");
  EXPECT_EQ(build_error(types), "Type \"Query\" is defined more than once.");
  SchemaBuilder built_in;
  built_in.enumeration("String", {{"A", "", {}}})
      .object("Query", {field("a", "Int")})
      .query("Query");
  EXPECT_EQ(build_error(built_in), "Type \"String\" is defined more than once.");
  SchemaBuilder fields;
  fields.object("Query", {field("a", "Int"), field("a", "String")}).query("Query");
  EXPECT_EQ(build_error(fields), "Field \"Query.a\" is defined more than once.");
  SchemaBuilder arguments;
  arguments.object("Query", {field("a", "Int", {{"x", "Int"}, {"x", "Int"}})}).query("Query");
  EXPECT_EQ(build_error(arguments), "Argument \"Query.a(x:)\" is defined more than once.");
}

TEST(Schema, RequiresResolvers) {
  SchemaBuilder builder;
  builder.object("Query", {FieldDefinition{"a", "Int", {}, nullptr, {}, {}}}).query("Query");
  EXPECT_EQ(build_error(builder), "Field \"Query.a\" has no resolver.");
}

TEST(Schema, KeepsInputAndOutputTypesApart) {
  SchemaBuilder output;
  output.input_object("In", {{"x", "Int"}}).object("Query", {field("a", "In")}).query("Query");
  EXPECT_EQ(build_error(output), "The type of Query.a must be an output type but got: In.");
  SchemaBuilder argument;
  argument.object("Query", {field("a", "Int", {{"q", "Query"}})}).query("Query");
  EXPECT_EQ(build_error(argument), "The type of Query.a(q:) must be an input type but got: Query.");
  SchemaBuilder input_field;
  input_field.input_object("In", {{"q", "[Query]"}})
      .object("Query", {field("a", "Int")})
      .query("Query");
  EXPECT_EQ(build_error(input_field), "The type of In.q must be an input type but got: [Query].");
}

TEST(Schema, RequiresAQueryTypeThatIsAnObject) {
  SchemaBuilder missing;
  missing.object("Query", {field("a", "Int")});
  EXPECT_EQ(build_error(missing), "The schema needs a query type.");
  SchemaBuilder wrong;
  wrong.object("Query", {field("a", "Int")}).query("Query").mutation("Int");
  EXPECT_EQ(build_error(wrong), "The mutation type \"Int\" is not an object type.");
}

TEST(Schema, RejectsInvalidDefaultsAndNames) {
  SchemaBuilder default_value;
  default_value.object("Query", {field("a", "Int", {{"n", "Int", "\"x\""}})}).query("Query");
  EXPECT_EQ(build_error(default_value),
            "The default value of Query.a(n:) is invalid: Int cannot represent non-integer "
            "value: \"x\"");
  SchemaBuilder reserved;
  reserved.object("Query", {field("__a", "Int")}).query("Query");
  EXPECT_NE(build_error(reserved).find("reserved for introspection"), std::string::npos);
  SchemaBuilder enum_value;
  enum_value.enumeration("E", {{"true", "", {}}}).object("Query", {field("a", "E")}).query("Query");
  EXPECT_EQ(build_error(enum_value), "Enum type \"E\" cannot include value: true.");
  SchemaBuilder scalar;
  scalar.scalar(ScalarDefinition{"S", "", nullptr, nullptr, nullptr})
      .object("Query", {field("a", "S")})
      .query("Query");
  EXPECT_EQ(build_error(scalar),
            "Scalar \"S\" needs serialize, parse_value and parse_literal functions.");
}

TEST(Schema, PrintsSdlInDefinitionOrder) {
  SchemaBuilder builder;
  builder.scalar(testing::decimal_scalar());
  builder.enumeration("Status", {{"OPEN", "", {}}, {"GONE", "", "No longer supported"}},
                      "Where it is.");
  builder.input_object("Filter", {{"status", "Status", "OPEN"}, {"limit", "Int!", "20"}});
  builder.object("Query",
                 {FieldDefinition{"things",
                                  "[String!]!",
                                  {{"filter", "Filter"}, {"after", "String", "\"a\\\"b\""}},
                                  nothing,
                                  "All the things.",
                                  {}},
                  FieldDefinition{"old", "Int", {}, nothing, {}, "Use things."}});
  builder.object("Root", {field("x", "Int")});
  builder.query("Query").mutation("Root");
  EXPECT_EQ(builder.build().print(),
            "schema {\n"
            "  query: Query\n"
            "  mutation: Root\n"
            "}\n\n"
            "\"\"\"A decimal number, as a string.\"\"\"\n"
            "scalar Decimal\n\n"
            "\"\"\"Where it is.\"\"\"\n"
            "enum Status {\n"
            "  OPEN\n"
            "  GONE @deprecated\n"
            "}\n\n"
            "input Filter {\n"
            "  status: Status = OPEN\n"
            "  limit: Int! = 20\n"
            "}\n\n"
            "type Query {\n"
            "  \"\"\"All the things.\"\"\"\n"
            "  things(filter: Filter, after: String = \"a\\\"b\"): [String!]!\n"
            "  old: Int @deprecated(reason: \"Use things.\")\n"
            "}\n\n"
            "type Root {\n"
            "  x: Int\n"
            "}");
}

TEST(Schema, BuiltInScalarsSerializeByTheSpec) {
  const Schema schema = testing::make_test_schema();
  const auto serialize = [&](std::string_view type, const ResultValue& value) {
    std::string out;
    write_json(schema.impl().find_type(type)->serialize(value), out);
    return out;
  };
  EXPECT_EQ(serialize("Int", 7), "7");
  EXPECT_EQ(serialize("Int", 3.0), "3");
  EXPECT_THROW(serialize("Int", std::int64_t{1} << 40), CoercionError);
  EXPECT_THROW(serialize("Int", "7"), CoercionError);
  EXPECT_EQ(serialize("Float", 2), "2");
  EXPECT_THROW(serialize("Float", std::numeric_limits<double>::infinity()), CoercionError);
  EXPECT_EQ(serialize("String", 12), "\"12\"");
  EXPECT_EQ(serialize("String", true), "\"true\"");
  EXPECT_EQ(serialize("Boolean", 0), "false");
  EXPECT_THROW(serialize("Boolean", "yes"), CoercionError);
  EXPECT_EQ(serialize("ID", 42), "\"42\"");
  EXPECT_THROW(serialize("ID", true), CoercionError);
}

}  // namespace
}  // namespace choreo::graphql
