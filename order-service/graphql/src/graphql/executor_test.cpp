#include "graphql/executor.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "graphql/test_schema.hpp"

namespace choreo::graphql {
namespace {

using testing::TestContext;

const Schema& schema() {
  static const Schema instance = testing::make_test_schema();
  return instance;
}

InputValue text(std::string value) {
  return InputValue{std::move(value)};
}
InputValue integer(std::int64_t value) {
  return InputValue{value};
}
InputValue object(std::vector<InputField> fields) {
  return InputValue{InputObject{std::move(fields)}};
}
InputValue list(std::vector<InputValue> items) {
  return InputValue{InputList{std::move(items)}};
}

struct Outcome {
  std::string json;
  std::vector<std::string> internal_errors;
  std::vector<std::string> calls;
};

Outcome run_full(std::string_view query, const InputObject& variables = {},
                 const std::optional<std::string>& operation_name = std::nullopt) {
  Outcome run;
  const Preparation preparation = prepare(schema(), query, operation_name);
  if (!preparation.prepared) {
    run.json = to_json(preparation.errors);
    return run;
  }
  std::any context = TestContext{};
  ExecutionOptions options;
  options.request_context = &context;
  options.on_internal_error = [&](const std::exception& error, const std::vector<PathSegment>&) {
    run.internal_errors.emplace_back(error.what());
  };
  run.json = to_json(execute(schema(), *preparation.prepared, variables, options));
  run.calls = std::any_cast<TestContext&>(context).calls;
  return run;
}

std::string run(std::string_view query, const InputObject& variables = {},
                const std::optional<std::string>& operation_name = std::nullopt) {
  return run_full(query, variables, operation_name).json;
}

// ---- Basic execution ----

TEST(Executor, ResolvesNestedFieldsInSelectionOrder) {
  EXPECT_EQ(
      run("{ order(id: \"1\") { total id items { quantity sku } } hero }"),
      R"({"data":{"order":{"total":"10.00","id":"1","items":[{"quantity":2,"sku":"sku-1"}]},"hero":"R2-D2"}})");
}

TEST(Executor, AppliesArgumentDefaults) {
  EXPECT_EQ(run("{ orders { id } }"), R"({"data":{"orders":[{"id":"1"},{"id":"2"},{"id":"3"}]}})");
  EXPECT_EQ(run("{ orders(offset: 1, limit: 1) { id } }"), R"({"data":{"orders":[{"id":"2"}]}})");
}

TEST(Executor, ResolvesToNullWhenTheResolverFindsNothing) {
  EXPECT_EQ(run("{ order(id: 42) { id } }"), R"({"data":{"order":null}})");
}

TEST(Executor, UsesAliasesAsResponseKeys) {
  EXPECT_EQ(run("{ a: order(id: 1) { key: id } b: order(id: 2) { id } }"),
            R"({"data":{"a":{"key":"1"},"b":{"id":"2"}}})");
}

TEST(Executor, MergesFieldsWithTheSameResponseKey) {
  EXPECT_EQ(run("{ order(id: 1) { id } order(id: 1) { total id } }"),
            R"({"data":{"order":{"id":"1","total":"10.00"}}})");
}

TEST(Executor, AnswersTypenameOnEveryType) {
  EXPECT_EQ(
      run("{ __typename order(id: 1) { __typename t: __typename items { __typename } } }"),
      R"({"data":{"__typename":"Query","order":{"__typename":"Order","t":"Order","items":[{"__typename":"OrderItem"}]}}})");
}

TEST(Executor, SerializesEnums) {
  EXPECT_EQ(run("{ orders(limit: 2) { status } }"),
            R"({"data":{"orders":[{"status":"PENDING"},{"status":"PAID"}]}})");
}

TEST(Executor, GivesResolversTheirPath) {
  EXPECT_EQ(run("{ p: path }"), R"({"data":{"p":["p"]}})");
}

// ---- Fragments and directives ----

TEST(Executor, ExpandsNamedFragments) {
  EXPECT_EQ(run("query { order(id: 1) { ...Basics items { ...Item } } } "
                "fragment Basics on Order { id total } fragment Item on OrderItem { sku }"),
            R"({"data":{"order":{"id":"1","total":"10.00","items":[{"sku":"sku-1"}]}}})");
}

TEST(Executor, ExpandsInlineFragmentsWithAndWithoutTypeCondition) {
  EXPECT_EQ(run("{ order(id: 1) { ... on Order { id } ... { total } } }"),
            R"({"data":{"order":{"id":"1","total":"10.00"}}})");
}

TEST(Executor, HonoursSkipAndIncludeWithLiterals) {
  EXPECT_EQ(run("{ hero @skip(if: true) order(id: 1) @include(if: true) { id @include(if: false) "
                "total @skip(if: false) } }"),
            R"({"data":{"order":{"total":"10.00"}}})");
}

TEST(Executor, HonoursSkipAndIncludeWithVariablesOnFragments) {
  const std::string query =
      "query ($yes: Boolean!, $no: Boolean = false) { order(id: 1) { ...F @include(if: $yes) "
      "... @skip(if: $no) { total } ... on Order @include(if: $no) { status } } } "
      "fragment F on Order { id }";
  EXPECT_EQ(run(query, InputObject{{{"yes", InputValue{true}}}}),
            R"({"data":{"order":{"id":"1","total":"10.00"}}})");
  EXPECT_EQ(run(query, InputObject{{{"yes", InputValue{false}}, {"no", InputValue{true}}}}),
            R"({"data":{"order":{"status":"PENDING"}}})");
}

TEST(Executor, SkipWinsOverInclude) {
  EXPECT_EQ(run("{ hero @include(if: true) @skip(if: true) __typename }"),
            R"({"data":{"__typename":"Query"}})");
}

// ---- Variables ----

TEST(Executor, CoercesVariablesAndAppliesTheirDefaults) {
  const std::string query =
      "query ($id: ID!, $limit: Int = 1) { order(id: $id) { id } "
      "orders(limit: $limit) { id } }";
  EXPECT_EQ(run(query, InputObject{{{"id", integer(2)}}}),
            R"({"data":{"order":{"id":"2"},"orders":[{"id":"1"}]}})");
  EXPECT_EQ(run(query, InputObject{{{"id", text("3")}, {"limit", integer(0)}}}),
            R"({"data":{"order":{"id":"3"},"orders":[]}})");
}

TEST(Executor, AnArgumentWhoseVariableIsAbsentGetsItsDefault) {
  EXPECT_EQ(run("query ($limit: Int) { orders(limit: $limit) { id } }"),
            R"({"data":{"orders":[{"id":"1"},{"id":"2"},{"id":"3"}]}})");
}

TEST(Executor, ReportsAMissingRequiredVariableWithoutData) {
  EXPECT_EQ(
      run("query Q($id: ID!) { order(id: $id) { id } }"),
      R"({"errors":[{"message":"Variable \"$id\" of required type \"ID!\" was not provided.","locations":[{"line":1,"column":9}],"extensions":{"code":"BAD_USER_INPUT"}}]})");
}

TEST(Executor, ReportsANullForANonNullVariable) {
  EXPECT_EQ(
      run("query ($id: ID!) { order(id: $id) { id } }", InputObject{{{"id", InputValue{}}}}),
      R"({"errors":[{"message":"Variable \"$id\" of non-null type \"ID!\" must not be null.","locations":[{"line":1,"column":8}],"extensions":{"code":"BAD_USER_INPUT"}}]})");
}

TEST(Executor, ReportsScalarVariableErrorsInTheReferenceWording) {
  const std::string query =
      "query ($i: Int, $b: Boolean, $f: Float, $s: String, $id: ID) "
      "{ echo(int: $i, boolean: $b, float: $f, string: $s, id: $id) }";
  EXPECT_EQ(
      run(query, InputObject{{{"i", text("5")}}}),
      R"({"errors":[{"message":"Variable \"$i\" got invalid value \"5\"; Int cannot represent non-integer value: \"5\"","locations":[{"line":1,"column":8}],"extensions":{"code":"BAD_USER_INPUT"}}]})");
  EXPECT_NE(run(query, InputObject{{{"i", integer(3'000'000'000)}}})
                .find("Int cannot represent non 32-bit signed integer value: 3000000000"),
            std::string::npos);
  EXPECT_NE(run(query, InputObject{{{"b", integer(1)}}})
                .find("Boolean cannot represent a non boolean value: 1"),
            std::string::npos);
  EXPECT_NE(run(query, InputObject{{{"f", text("x")}}})
                .find("Float cannot represent non numeric value: \\\"x\\\""),
            std::string::npos);
  EXPECT_NE(run(query, InputObject{{{"s", InputValue{true}}}})
                .find("String cannot represent a non string value: true"),
            std::string::npos);
  EXPECT_NE(
      run(query, InputObject{{{"id", InputValue{1.5}}}}).find("ID cannot represent value: 1.5"),
      std::string::npos);
}

TEST(Executor, CoercesScalarVariablesAcrossCompatibleKinds) {
  const std::string query =
      "query ($i: Int, $f: Float, $id: ID) { echo(int: $i, float: $f, id: $id) }";
  EXPECT_EQ(
      run(query, InputObject{{{"i", InputValue{4.0}}, {"f", integer(2)}, {"id", integer(7)}}}),
      R"({"data":{"echo":"{ int: 4, float: 2, id: \"7\", defaulted: \"fallback\" }"}})");
}

TEST(Executor, NamesThePathOfABadValueInsideAnInputObjectVariable) {
  const std::string query =
      "mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }";
  const InputValue input = object({{"identifier", text("a")}, {"total", text("x")}});
  EXPECT_EQ(
      run(query, InputObject{{{"input", input}}}),
      R"({"errors":[{"message":"Variable \"$input\" got invalid value \"x\" at \"input.total\"; Expected type \"Decimal\". Expected a decimal string such as \"49.99\"","locations":[{"line":1,"column":11}],"extensions":{"code":"BAD_USER_INPUT"}}]})");
}

TEST(Executor, RejectsUnknownAndMissingInputObjectFieldsInVariables) {
  const std::string query =
      "mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }";
  const InputValue input = object({{"total", text("1.00")}, {"colour", text("red")}});
  const std::string json = run(query, InputObject{{{"input", input}}});
  EXPECT_NE(
      json.find(
          R"(Variable \"$input\" got invalid value { total: \"1.00\", colour: \"red\" }; Field \"identifier\" of required type \"String!\" was not provided.)"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"(Field \"colour\" is not defined by type \"CreateOrderInput\".)"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find("\"data\""), std::string::npos);
}

TEST(Executor, RejectsANonObjectForAnInputObjectVariable) {
  const std::string json = run("query ($input: CreateOrderInput) { echo(input: $input) }",
                               InputObject{{{"input", text("x")}}});
  EXPECT_NE(
      json.find(
          R"(Variable \"$input\" got invalid value \"x\"; Expected type \"CreateOrderInput\" to be an object.)"),
      std::string::npos)
      << json;
}

TEST(Executor, CoercesListVariablesAndWrapsSingleValues) {
  const std::string query =
      "query ($ints: [Int], $items: [OrderItemInput!]) { echo(ints: $ints, items: $items) }";
  EXPECT_EQ(
      run(query,
          InputObject{{{"ints", integer(3)}, {"items", list({object({{"sku", text("a")}})})}}}),
      R"({"data":{"echo":"{ ints: [3], items: [{ sku: \"a\", quantity: 1 }], defaulted: \"fallback\" }"}})");
  const std::string json =
      run(query, InputObject{{{"ints", list({integer(1), text("2")})},
                              {"items", list({object({{"sku", text("a")}}), InputValue{}})}}});
  EXPECT_NE(
      json.find(
          R"(Variable \"$ints\" got invalid value \"2\" at \"ints[1]\"; Int cannot represent non-integer value: \"2\")"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"(Variable \"$items\" got invalid value null at \"items[1]\"; Expected non-nullable type \"OrderItemInput!\" not to be null.)"),
      std::string::npos)
      << json;
}

TEST(Executor, ChecksEnumVariables) {
  const std::string query = "query ($s: OrderStatus) { echo(status: $s) }";
  EXPECT_EQ(run(query, InputObject{{{"s", text("PAID")}}}),
            R"({"data":{"echo":"{ status: \"PAID\", defaulted: \"fallback\" }"}})");
  EXPECT_NE(run(query, InputObject{{{"s", text("paid")}}})
                .find(R"(Value \"paid\" does not exist in \"OrderStatus\" enum.)"),
            std::string::npos);
  EXPECT_NE(run(query, InputObject{{{"s", integer(1)}}})
                .find(R"(Enum \"OrderStatus\" cannot represent non-string value: 1.)"),
            std::string::npos);
}

TEST(Executor, IgnoresVariablesTheOperationDoesNotDeclare) {
  EXPECT_EQ(run("{ hero }", InputObject{{{"unused", integer(1)}}}), R"({"data":{"hero":"R2-D2"}})");
}

// ---- Argument literals ----

TEST(Executor, CoercesArgumentLiterals) {
  EXPECT_EQ(
      run("{ echo(int: -5, float: 1, string: \"s\", boolean: false, id: 12, status: PAID, "
          "decimal: \"1.50\", ints: 4) }"),
      R"({"data":{"echo":"{ int: -5, float: 1, string: \"s\", boolean: false, id: \"12\", status: \"PAID\", decimal: \"1.50\", ints: [4], defaulted: \"fallback\" }"}})");
}

TEST(Executor, AppliesInputObjectFieldDefaultsInLiterals) {
  EXPECT_EQ(
      run("{ echo(input: {identifier: \"x\", total: \"1\", items: [{sku: \"a\"}, "
          "{sku: \"b\", quantity: 3}]}) }"),
      R"({"data":{"echo":"{ input: { identifier: \"x\", total: \"1\", items: [{ sku: \"a\", quantity: 1 }, { sku: \"b\", quantity: 3 }] }, defaulted: \"fallback\" }"}})");
}

TEST(Executor, KeepsAnExplicitNullArgument) {
  EXPECT_EQ(run("{ echo(string: null, defaulted: null) }"),
            R"({"data":{"echo":"{ string: null, defaulted: null }"}})");
}

TEST(Executor, SubstitutesVariablesInsideLiterals) {
  EXPECT_EQ(
      run("query ($sku: String!, $n: Int) { echo(items: [{sku: $sku, quantity: $n}]) }",
          InputObject{{{"sku", text("z")}}}),
      R"({"data":{"echo":"{ items: [{ sku: \"z\", quantity: 1 }], defaulted: \"fallback\" }"}})");
}

TEST(Executor, ReportsABadCustomScalarLiteralAsBadUserInputOnTheField) {
  EXPECT_EQ(
      run("{ hero echo(decimal: \"abc\") }"),
      R"({"errors":[{"message":"Argument \"decimal\" got invalid value \"abc\"; Expected type \"Decimal\". Expected a decimal string such as \"49.99\"","locations":[{"line":1,"column":13}],"path":["echo"],"extensions":{"code":"BAD_USER_INPUT"}}],"data":{"hero":"R2-D2","echo":null}})");
}

TEST(Executor, ReportsABadCustomScalarInsideAnInputObjectLiteralAndBubbles) {
  EXPECT_EQ(
      run("mutation { createOrder(input: {identifier: \"a\", total: 5}) { id } }"),
      R"({"errors":[{"message":"Argument \"input\" got invalid value 5 at \"input.total\"; Expected type \"Decimal\". Expected a decimal string such as \"49.99\"","locations":[{"line":1,"column":24}],"path":["createOrder"],"extensions":{"code":"BAD_USER_INPUT"}}],"data":null})");
}

TEST(Executor, ReportsANullVariableForANonNullArgument) {
  EXPECT_EQ(
      run("query ($id: ID = \"1\") { order(id: $id) { id } }", InputObject{{{"id", InputValue{}}}}),
      R"({"errors":[{"message":"Argument \"id\" of non-null type \"ID!\" must not be null.","locations":[{"line":1,"column":31}],"path":["order"],"extensions":{"code":"BAD_USER_INPUT"}}],"data":{"order":null}})");
}

// ---- Errors and null propagation ----

TEST(Executor, ReportsAFieldErrorWithItsCodeAndNullsTheField) {
  EXPECT_EQ(
      run("{ order(id: 1) { id failing } }"),
      R"({"errors":[{"message":"Not yours.","locations":[{"line":1,"column":21}],"path":["order","failing"],"extensions":{"code":"FORBIDDEN"}}],"data":{"order":{"id":"1","failing":null}}})");
}

TEST(Executor, HidesOtherExceptionsAndReportsThemToTheCaller) {
  const Outcome result = run_full("{ order(id: 1) { exploding } }");
  EXPECT_EQ(
      result.json,
      R"({"errors":[{"message":"Internal server error","locations":[{"line":1,"column":18}],"path":["order","exploding"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"order":{"exploding":null}}})");
  ASSERT_EQ(result.internal_errors.size(), 1U);
  EXPECT_EQ(result.internal_errors[0], "db password is hunter2");
}

TEST(Executor, BubblesANonNullViolationToTheNearestNullableParent) {
  EXPECT_EQ(
      run("{ hero order(id: 1) { id required } }"),
      R"({"errors":[{"message":"Cannot return null for non-nullable field Order.required.","locations":[{"line":1,"column":26}],"path":["order","required"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"hero":"R2-D2","order":null}})");
}

TEST(Executor, BubblesAllTheWayToDataNull) {
  EXPECT_EQ(
      run("{ hero missingOrder { id } }"),
      R"({"errors":[{"message":"Cannot return null for non-nullable field Query.missingOrder.","locations":[{"line":1,"column":8}],"path":["missingOrder"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null})");
  EXPECT_EQ(
      run("{ strictOrder { required } }"),
      R"({"errors":[{"message":"Cannot return null for non-nullable field Order.required.","locations":[{"line":1,"column":17}],"path":["strictOrder","required"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null})");
}

TEST(Executor, NullsAListWhoseNonNullItemIsNull) {
  EXPECT_EQ(
      run("{ brokenOrders { id } nullableOrders { id } }"),
      R"({"errors":[{"message":"Cannot return null for non-nullable field Query.brokenOrders.","locations":[{"line":1,"column":3}],"path":["brokenOrders",1],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"brokenOrders":null,"nullableOrders":[{"id":"1"},null]}})");
}

TEST(Executor, BubblesFromAListItemToTheItemWhenItIsNullable) {
  EXPECT_EQ(
      run("{ nullableOrders { required } }"),
      R"({"errors":[{"message":"Cannot return null for non-nullable field Order.required.","locations":[{"line":1,"column":20}],"path":["nullableOrders",0,"required"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"nullableOrders":[null,null]}})");
}

TEST(Executor, ReportsLeafValuesTheirTypeCannotRepresent) {
  const Outcome result = run_full("{ order(id: 1) { badInt badTotal badStatus } }");
  EXPECT_EQ(
      result.json,
      R"({"errors":[{"message":"Int cannot represent non-integer value: 1.5","locations":[{"line":1,"column":18}],"path":["order","badInt"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},{"message":"Expected a decimal string such as \"49.99\"","locations":[{"line":1,"column":25}],"path":["order","badTotal"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},{"message":"Enum \"OrderStatus\" cannot represent value: \"NOPE\"","locations":[{"line":1,"column":34}],"path":["order","badStatus"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"order":{"badInt":null,"badTotal":null,"badStatus":null}}})");
  EXPECT_EQ(result.internal_errors.size(), 3U);
}

TEST(Executor, ReportsAResolverThatReturnsTheWrongKind) {
  const Outcome result = run_full("{ order(id: 1) { wrongKind } }");
  EXPECT_NE(result.json.find("\"Internal server error\""), std::string::npos);
  ASSERT_EQ(result.internal_errors.size(), 1U);
  EXPECT_EQ(result.internal_errors[0],
            "the resolver of Order.wrongKind must return a leaf value for type String");
}

TEST(Executor, ListsErrorsInDocumentOrderWithAllMergedLocations) {
  EXPECT_EQ(
      run("{ order(id: 1) { failing ... { failing } exploding } }"),
      R"({"errors":[{"message":"Not yours.","locations":[{"line":1,"column":18},{"line":1,"column":32}],"path":["order","failing"],"extensions":{"code":"FORBIDDEN"}},{"message":"Internal server error","locations":[{"line":1,"column":42}],"path":["order","exploding"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"order":{"failing":null,"exploding":null}}})");
}

// ---- Operations ----

TEST(Executor, RunsMutationRootFieldsSerially) {
  const Outcome result = run_full(
      "mutation { a: createOrder(input: {identifier: \"one\", total: \"1.00\"}) { id identifier } "
      "b: createOrder(input: {identifier: \"two\", total: \"2.00\"}) { total } }");
  EXPECT_EQ(result.json, R"({"data":{"a":{"id":"9","identifier":"one"},"b":{"total":"2.00"}}})");
  EXPECT_EQ(result.calls, (std::vector<std::string>{"create one", "create two"}));
}

TEST(Executor, SelectsTheOperationByName) {
  const std::string document = "query A { hero } query B { __typename }";
  EXPECT_EQ(run(document, {}, "B"), R"({"data":{"__typename":"Query"}})");
  EXPECT_EQ(
      run(document, {}, "C"),
      R"({"errors":[{"message":"Unknown operation named \"C\".","extensions":{"code":"OPERATION_RESOLUTION_FAILURE"}}]})");
  EXPECT_EQ(
      run(document),
      R"({"errors":[{"message":"Must provide operation name if query contains multiple operations.","extensions":{"code":"OPERATION_RESOLUTION_FAILURE"}}]})");
}

TEST(Executor, ReportsSyntaxErrorsAsParseFailures) {
  EXPECT_EQ(
      run("{ hero"),
      R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":7}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]})");
}

TEST(Executor, LimitsTheTokensOfADocument) {
  RequestLimits limits;
  limits.max_tokens = 5;
  const Preparation preparation = prepare(schema(), "{ a b c d e f }", std::nullopt, limits);
  ASSERT_EQ(preparation.errors.size(), 1U);
  EXPECT_EQ(preparation.errors[0].code, error_code::kParseFailed);
  EXPECT_FALSE(preparation.prepared.has_value());
}

TEST(Executor, LimitsTheSizeOfADocumentBeforeParsingIt) {
  RequestLimits limits;
  limits.max_document_bytes = 10;
  EXPECT_TRUE(prepare(schema(), "{ hero }  ", std::nullopt, limits).prepared.has_value());
  const Preparation preparation = prepare(schema(), "{ hero }   ", std::nullopt, limits);
  ASSERT_EQ(preparation.errors.size(), 1U);
  EXPECT_EQ(preparation.errors[0].code, error_code::kParseFailed);
  EXPECT_EQ(preparation.errors[0].message, "The document is larger than the maximum of 10 bytes.");
  EXPECT_TRUE(preparation.errors[0].locations.empty());
  // The default is 100 KiB.
  const std::string big = "{ hero }" + std::string(100 * 1024, ' ');
  EXPECT_EQ(prepare(schema(), big, std::nullopt).errors.size(), 1U);
}

TEST(Executor, ReportsTypeSystemDefinitionsAsValidationFailures) {
  EXPECT_EQ(
      run("{ hero }\n  \"\"\"Doc\"\"\"\n  type Query { hero: String }"),
      R"({"errors":[{"message":"The \"Query\" definition is not executable.","locations":[{"line":2,"column":3}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]})");
}

TEST(Executor, ExposesTheOperationTypeBeforeExecution) {
  const Preparation preparation = prepare(
      schema(), "mutation M { createOrder(input: {identifier: \"a\", total: \"1\"}) { id } }", "M");
  ASSERT_TRUE(preparation.prepared.has_value());
  EXPECT_EQ(preparation.prepared->type(), OperationType::kMutation);
}

TEST(Executor, RunsASubscriptionsSelectionAgainstAnEventRoot) {
  // Subscriptions will execute their selection set once per event, with the event as root value.
  SchemaBuilder builder;
  builder.object("Query",
                 {{"x", "Int", {}, [](const FieldContext&) { return Resolved(ResultValue(1)); }}});
  builder.object("Subscription", {{"tick", "Int!", {}, [](const FieldContext& c) -> Resolved {
                                     return ResultValue(c.source_as<std::int64_t>());
                                   }}});
  builder.query("Query").subscription("Subscription");
  const Schema with_subscription = builder.build();
  const Preparation preparation = prepare(with_subscription, "subscription { tick }", std::nullopt);
  ASSERT_TRUE(preparation.prepared.has_value());
  ExecutionOptions options;
  options.root_value = std::int64_t{41};
  EXPECT_EQ(to_json(execute(with_subscription, *preparation.prepared, {}, options)),
            R"({"data":{"tick":41}})");
}

TEST(Executor, HandlesALongChainOfFragments) {
  std::string query = "{ ...F0 }";
  for (int i = 0; i < 3000; ++i) {
    query += " fragment F" + std::to_string(i) + " on Query { ...F" + std::to_string(i + 1) + " }";
  }
  query += " fragment F3000 on Query { hero }";
  RequestLimits limits;
  limits.max_tokens = 0;
  limits.max_document_bytes = 1 << 20;
  const Preparation preparation = prepare(schema(), query, std::nullopt, limits);
  ASSERT_TRUE(preparation.prepared.has_value());
  EXPECT_EQ(to_json(execute(schema(), *preparation.prepared, {}, ExecutionOptions{})),
            R"({"data":{"hero":"R2-D2"}})");
}

TEST(Executor, WorksWithoutARequestContext) {
  const Preparation preparation = prepare(schema(), "{ hero }", std::nullopt);
  ASSERT_TRUE(preparation.prepared.has_value());
  EXPECT_EQ(to_json(execute(schema(), *preparation.prepared, {}, ExecutionOptions{})),
            R"({"data":{"hero":"R2-D2"}})");
}

TEST(ToJson, WritesOnlyTheMembersThatApply) {
  ExecutionResult result;
  EXPECT_EQ(to_json(result), "{}");
  result.data = ResultValue();
  EXPECT_EQ(to_json(result), R"({"data":null})");
  result.errors.push_back(GraphQLError{"boom", {}, {}, "X"});
  EXPECT_EQ(to_json(result),
            R"({"errors":[{"message":"boom","extensions":{"code":"X"}}],"data":null})");
  EXPECT_EQ(to_json(result.errors), R"({"errors":[{"message":"boom","extensions":{"code":"X"}}]})");
}

}  // namespace
}  // namespace choreo::graphql
