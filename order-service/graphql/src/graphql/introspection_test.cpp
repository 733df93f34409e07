#include "graphql/introspection.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "graphql/executor.hpp"
#include "graphql/introspection_query.hpp"
#include "graphql/test_schema.hpp"

namespace choreo::graphql {
namespace {

const Schema& schema() {
  static const Schema instance = testing::make_test_schema();
  return instance;
}

// Runs a query without any request context: introspection must not need one.
ExecutionResult run(std::string_view query) {
  const Preparation preparation = prepare(schema(), query, std::nullopt);
  if (!preparation.prepared) {
    return ExecutionResult{std::nullopt, preparation.errors};
  }
  return execute(schema(), *preparation.prepared, {}, ExecutionOptions{});
}

std::string first_error(std::string_view query) {
  const ExecutionResult result = run(query);
  return result.errors.empty() ? std::string("<none>") : result.errors.front().message;
}

std::string json(std::string_view query) {
  return to_json(run(query));
}

const ResultValue& member(const ResultValue& object, std::string_view key) {
  static const ResultValue kAbsent;
  for (const ResultField& field : std::get<ResultObject>(object.kind).fields) {
    if (field.name == key) {
      return field.value;
    }
  }
  ADD_FAILURE() << "no member " << key;
  return kAbsent;
}

const std::vector<ResultValue>& items(const ResultValue& list) {
  return std::get<ResultList>(list.kind).items;
}

std::string text(const ResultValue& value) {
  return value.is_null() ? "<null>" : std::get<std::string>(value.kind);
}

// "[OrderItem!]!" from an introspected type reference.
std::string type_sdl(const ResultValue& type) {
  const std::string kind = text(member(type, "kind"));
  if (kind == "NON_NULL") {
    return type_sdl(member(type, "ofType")) + "!";
  }
  if (kind == "LIST") {
    return "[" + type_sdl(member(type, "ofType")) + "]";
  }
  return text(member(type, "name"));
}

const ResultValue* find_named(const ResultValue& list, std::string_view name) {
  for (const ResultValue& item : items(list)) {
    if (text(member(item, "name")) == name) {
      return &item;
    }
  }
  return nullptr;
}

TEST(Introspection, TheStandardQueryRunsWithoutErrors) {
  const ExecutionResult result = run(kIntrospectionQuery);
  ASSERT_TRUE(result.errors.empty()) << to_json(result);
  ASSERT_TRUE(result.data.has_value());
  const ResultValue& schema_value = member(*result.data, "__schema");
  EXPECT_TRUE(member(schema_value, "description").is_null());
  EXPECT_EQ(text(member(member(schema_value, "queryType"), "name")), "Query");
  EXPECT_EQ(text(member(member(schema_value, "mutationType"), "name")), "Mutation");
  EXPECT_TRUE(member(schema_value, "subscriptionType").is_null());

  const ResultValue& types = member(schema_value, "types");
  std::set<std::string> names;
  for (const ResultValue& type : items(types)) {
    names.insert(text(member(type, "name")));
  }
  for (const char* expected : {"Query",
                               "Mutation",
                               "Order",
                               "OrderItem",
                               "OrderStatus",
                               "Decimal",
                               "CreateOrderInput",
                               "OrderItemInput",
                               "String",
                               "Boolean",
                               "Int",
                               "ID",
                               "Float",
                               "__Schema",
                               "__Type",
                               "__TypeKind",
                               "__Field",
                               "__InputValue",
                               "__EnumValue",
                               "__Directive",
                               "__DirectiveLocation"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }

  const ResultValue& query = *find_named(types, "Query");
  EXPECT_EQ(text(member(query, "kind")), "OBJECT");
  EXPECT_TRUE(items(member(query, "interfaces")).empty());
  EXPECT_TRUE(member(query, "possibleTypes").is_null());
  EXPECT_TRUE(member(query, "enumValues").is_null());
  EXPECT_TRUE(member(query, "inputFields").is_null());
  // The hidden root fields are not among the query type's fields.
  EXPECT_EQ(find_named(member(query, "fields"), "__schema"), nullptr);
  const ResultValue& orders = *find_named(member(query, "fields"), "orders");
  EXPECT_EQ(type_sdl(member(orders, "type")), "[Order!]!");
  const ResultValue& limit = *find_named(member(orders, "args"), "limit");
  EXPECT_EQ(type_sdl(member(limit, "type")), "Int");
  EXPECT_EQ(text(member(limit, "defaultValue")), "20");
  EXPECT_EQ(std::get<bool>(member(limit, "isDeprecated").kind), false);

  const ResultValue& echo = *find_named(member(query, "fields"), "echo");
  EXPECT_EQ(text(member(*find_named(member(echo, "args"), "defaulted"), "defaultValue")),
            "\"fallback\"");

  const ResultValue& order = *find_named(types, "Order");
  const ResultValue& items_field = *find_named(member(order, "fields"), "items");
  EXPECT_EQ(type_sdl(member(items_field, "type")), "[OrderItem!]!");
  const ResultValue& legacy = *find_named(member(order, "fields"), "legacy");
  EXPECT_EQ(std::get<bool>(member(legacy, "isDeprecated").kind), true);

  const ResultValue& status = *find_named(types, "OrderStatus");
  EXPECT_EQ(text(member(status, "kind")), "ENUM");
  EXPECT_EQ(items(member(status, "enumValues")).size(), 4U);  // deprecated LOST included
  const ResultValue& lost = *find_named(member(status, "enumValues"), "LOST");
  EXPECT_EQ(text(member(lost, "deprecationReason")), "Use FAILED.");
  EXPECT_EQ(text(member(*find_named(member(status, "enumValues"), "PENDING"), "description")),
            "Not paid yet.");

  const ResultValue& input = *find_named(types, "OrderItemInput");
  EXPECT_EQ(text(member(input, "kind")), "INPUT_OBJECT");
  EXPECT_TRUE(member(input, "fields").is_null());
  const ResultValue& quantity = *find_named(member(input, "inputFields"), "quantity");
  EXPECT_EQ(type_sdl(member(quantity, "type")), "Int!");
  EXPECT_EQ(text(member(quantity, "defaultValue")), "1");

  const ResultValue& decimal = *find_named(types, "Decimal");
  EXPECT_EQ(text(member(decimal, "kind")), "SCALAR");
  EXPECT_TRUE(member(decimal, "fields").is_null());

  const ResultValue& directives = member(schema_value, "directives");
  std::set<std::string> directive_names;
  for (const ResultValue& directive : items(directives)) {
    directive_names.insert(text(member(directive, "name")));
    EXPECT_EQ(std::get<bool>(member(directive, "isRepeatable").kind), false);
  }
  EXPECT_EQ(directive_names,
            (std::set<std::string>{"include", "skip", "deprecated", "specifiedBy"}));
  const ResultValue& skip = *find_named(directives, "skip");
  std::vector<std::string> locations;
  for (const ResultValue& location : items(member(skip, "locations"))) {
    locations.push_back(text(location));
  }
  EXPECT_EQ(locations, (std::vector<std::string>{"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"}));
  EXPECT_EQ(type_sdl(member(*find_named(member(skip, "args"), "if"), "type")), "Boolean!");
  const ResultValue& deprecated = *find_named(directives, "deprecated");
  EXPECT_EQ(text(member(*find_named(member(deprecated, "args"), "reason"), "defaultValue")),
            "\"No longer supported\"");
  const ResultValue& specified_by = *find_named(directives, "specifiedBy");
  EXPECT_EQ(text(items(member(specified_by, "locations")).at(0)), "SCALAR");
}

TEST(Introspection, ListsBuiltInScalarsOnlyWhenSomethingUsesThem) {
  SchemaBuilder builder;
  builder.object("Query", {{"name", "String", {}, [](const FieldContext&) { return Resolved(); }}});
  builder.query("Query");
  const Schema small = builder.build();
  const Preparation preparation = prepare(
      small, "{ __schema { types { name } } f: __type(name: \"Float\") { name } }", std::nullopt);
  ASSERT_TRUE(preparation.prepared);
  const std::string result = to_json(execute(small, *preparation.prepared, {}, {}));
  EXPECT_NE(result.find("\"name\":\"String\""), std::string::npos) << result;
  EXPECT_NE(result.find("\"name\":\"Boolean\""), std::string::npos) << result;
  EXPECT_EQ(result.find("\"name\":\"Float\""), std::string::npos) << result;
  EXPECT_EQ(result.find("\"name\":\"ID\""), std::string::npos) << result;
  EXPECT_NE(result.find("\"f\":null"), std::string::npos) << result;
}

TEST(Introspection, TypeFindsNamedTypesAndWrappersNameTheirTypes) {
  EXPECT_EQ(json("{ __type(name: \"Order\") { kind name fields { name } } }")
                .find(R"({"data":{"__type":{"kind":"OBJECT","name":"Order","fields":[{)"),
            0U);
  EXPECT_EQ(json("{ __type(name: \"Nope\") { name } }"), R"({"data":{"__type":null}})");
  EXPECT_EQ(json("{ __type(name: \"Order\") { fields { name } } }").find("\"legacy\""),
            std::string::npos);
  EXPECT_NE(json("{ __type(name: \"Order\") { fields(includeDeprecated: true) { name } } }")
                .find("\"legacy\""),
            std::string::npos);
  EXPECT_EQ(json("{ __type(name: \"OrderStatus\") { enumValues { name } } }"),
            R"({"data":{"__type":{"enumValues":[{"name":"PENDING"},{"name":"PAID"},)"
            R"({"name":"SHIPPED"}]}}})");
  EXPECT_EQ(json("{ __type(name: \"__TypeKind\") { kind enumValues { name } } }"),
            R"({"data":{"__type":{"kind":"ENUM","enumValues":[{"name":"SCALAR"},)"
            R"({"name":"OBJECT"},{"name":"INTERFACE"},{"name":"UNION"},{"name":"ENUM"},)"
            R"({"name":"INPUT_OBJECT"},{"name":"LIST"},{"name":"NON_NULL"}]}}})");
  EXPECT_EQ(json("{ __type(name: \"Decimal\") { specifiedByURL ofType { name } isOneOf } }"),
            R"({"data":{"__type":{"specifiedByURL":null,"ofType":null,"isOneOf":null}}})");
  EXPECT_EQ(json("{ __type(name: \"CreateOrderInput\") { isOneOf } }"),
            R"({"data":{"__type":{"isOneOf":false}}})");
}

TEST(Introspection, TypenameWorksOnIntrospectionTypes) {
  EXPECT_EQ(json("{ __typename __schema { __typename queryType { __typename } } }"),
            R"({"data":{"__typename":"Query","__schema":{"__typename":"__Schema",)"
            R"("queryType":{"__typename":"__Type"}}}})");
}

TEST(Introspection, FragmentsOnIntrospectionTypesValidate) {
  EXPECT_EQ(json("{ __schema { queryType { ...T } } } fragment T on __Type { name }"),
            R"({"data":{"__schema":{"queryType":{"name":"Query"}}}})");
}

TEST(Introspection, ValidationKnowsTheIntrospectionFields) {
  EXPECT_EQ(json("{ __schema { nope } }"),
            R"({"errors":[{"message":"Cannot query field \"nope\" on type \"__Schema\".",)"
            R"("locations":[{"line":1,"column":14}],)"
            R"("extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]})");
  EXPECT_EQ(first_error("{ __type { name } }"),
            "Field \"__type\" argument \"name\" of type \"String!\" is required, but it was not "
            "provided.");
  EXPECT_EQ(first_error("{ __schema }"),
            "Field \"__schema\" of type \"__Schema!\" must have a selection of subfields. Did you "
            "mean \"__schema { ... }\"?");
  // The hidden fields exist on the query type only.
  EXPECT_EQ(first_error("{ orders { __schema { description } } }"),
            "Cannot query field \"__schema\" on type \"Order\".");
  EXPECT_EQ(first_error("mutation { __type(name: \"Order\") { name } }"),
            "Cannot query field \"__type\" on type \"Mutation\".");
}

TEST(Introspection, DoesNotChangeTheSchemaPrint) {
  const std::string printed = schema().print();
  EXPECT_EQ(printed.find("__"), std::string::npos);
  EXPECT_EQ(printed.find("specifiedBy"), std::string::npos);
}

TEST(Introspection, ReportsASpecifiedByUrl) {
  ScalarDefinition when;
  when.name = "When";
  when.serialize = [](const ResultValue& value) { return value; };
  when.parse_value = [](const InputValue& value) { return value; };
  when.parse_literal = [](const Value&) { return InputValue{}; };
  when.specified_by_url = "https://example.com/when";
  SchemaBuilder builder;
  builder.scalar(std::move(when));
  builder.object("Query", {{"at", "When", {}, [](const FieldContext&) { return Resolved(); }}});
  builder.query("Query");
  const Schema with_url = builder.build();
  const Preparation preparation =
      prepare(with_url, "{ __type(name: \"When\") { specifiedByURL } }", std::nullopt);
  ASSERT_TRUE(preparation.prepared);
  EXPECT_EQ(to_json(execute(with_url, *preparation.prepared, {}, {})),
            R"({"data":{"__type":{"specifiedByURL":"https://example.com/when"}}})");
  EXPECT_NE(with_url.print().find("scalar When @specifiedBy(url: \"https://example.com/when\")"),
            std::string::npos);
}

}  // namespace
}  // namespace choreo::graphql
