#include "graphql/validation.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "graphql/parser.hpp"
#include "graphql/test_schema.hpp"

namespace choreo::graphql {
namespace {

const Schema& schema() {
  static const Schema instance = testing::make_test_schema();
  return instance;
}

std::vector<GraphQLError> errors_of(std::string_view query, const RequestLimits& limits = {}) {
  return validate(schema().impl(), parse(query), limits);
}

std::vector<std::string> messages(std::string_view query, const RequestLimits& limits = {}) {
  std::vector<std::string> result;
  for (const GraphQLError& error : errors_of(query, limits)) {
    EXPECT_EQ(error.code, error_code::kValidationFailed);
    EXPECT_TRUE(error.path.empty());
    result.push_back(error.message);
  }
  return result;
}

using Messages = std::vector<std::string>;

TEST(Validation, AcceptsAValidDocument) {
  EXPECT_EQ(messages("query Q($id: ID!, $skip: Boolean = false) { order(id: $id) { ...F "
                     "items @skip(if: $skip) { sku } } orders(limit: 2) { id } } "
                     "fragment F on Order { id total status __typename }"),
            Messages{});
}

// ---- Fields ----

TEST(Validation, RejectsUnknownFieldsWithTheirLocation) {
  const auto errors = errors_of("{ order(id: 1) { id foo } bar }");
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0].message, "Cannot query field \"foo\" on type \"Order\".");
  EXPECT_EQ(errors[0].locations, (std::vector<SourceLocation>{{1, 21}}));
  EXPECT_EQ(errors[1].message, "Cannot query field \"bar\" on type \"Query\".");
}

TEST(Validation, AllowsTypenameEverywhereButNotWithSubfields) {
  EXPECT_EQ(messages("{ __typename order(id: 1) { __typename items { __typename } } }"),
            Messages{});
  EXPECT_EQ(messages("{ __typename { x } }"),
            Messages{"Field \"__typename\" must not have a selection since type \"String!\" has "
                     "no subfields."});
}

TEST(Validation, RequiresSubfieldsOnObjectsAndForbidsThemOnLeaves) {
  EXPECT_EQ(messages("{ order(id: 1) }"),
            Messages{"Field \"order\" of type \"Order\" must have a selection of subfields. Did "
                     "you mean \"order { ... }\"?"});
  EXPECT_EQ(messages("{ orders { id { x } } }"),
            Messages{"Field \"id\" must not have a selection since type \"ID!\" has no "
                     "subfields."});
}

// ---- Arguments ----

TEST(Validation, RejectsUnknownAndRepeatedArguments) {
  EXPECT_EQ(messages("{ order(id: 1, x: 2) { id } }"),
            Messages{"Unknown argument \"x\" on field \"Query.order\"."});
  EXPECT_EQ(messages("{ order(id: 1, id: 2) { id } }"),
            Messages{"There can be only one argument named \"id\"."});
  EXPECT_EQ(messages("{ __typename(a: 1) }"),
            Messages{"Unknown argument \"a\" on field \"Query.__typename\"."});
}

TEST(Validation, RequiresRequiredArguments) {
  const auto errors = errors_of("{\n  order { id } }");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].message,
            "Field \"order\" argument \"id\" of type \"ID!\" is required, but it was not "
            "provided.");
  EXPECT_EQ(errors[0].locations, (std::vector<SourceLocation>{{2, 3}}));
}

TEST(Validation, ChecksArgumentLiteralsAgainstBuiltInScalars) {
  EXPECT_EQ(messages("{ order(id: 5.5) { id } }"),
            Messages{"ID cannot represent a non-string and non-integer value: 5.5"});
  EXPECT_EQ(messages("{ order(id: null) { id } }"),
            Messages{"Expected value of type \"ID!\", found null."});
  EXPECT_EQ(messages("{ echo(int: 2147483648, float: \"1\", string: 1, boolean: 0) }"),
            (Messages{"Int cannot represent non 32-bit signed integer value: 2147483648",
                      "Float cannot represent non numeric value: \"1\"",
                      "String cannot represent a non string value: 1",
                      "Boolean cannot represent a non boolean value: 0"}));
  EXPECT_EQ(messages("{ echo(int: 1.0) }"),
            Messages{"Int cannot represent non-integer value: 1.0"});
}

TEST(Validation, ChecksEnumLiterals) {
  EXPECT_EQ(messages("{ echo(status: paid) }"),
            Messages{"Value \"paid\" does not exist in \"OrderStatus\" enum."});
  EXPECT_EQ(messages("{ echo(status: \"PAID\") }"),
            Messages{"Enum \"OrderStatus\" cannot represent non-enum value: \"PAID\"."});
}

TEST(Validation, ChecksInputObjectLiterals) {
  const auto errors = errors_of(
      "mutation { createOrder(input: {total: \"1\", colour: RED, items: [{sku: \"a\", "
      "quantity: \"2\"}]}) { id } }");
  ASSERT_EQ(errors.size(), 3U);
  EXPECT_EQ(errors[0].message,
            "Field \"CreateOrderInput.identifier\" of required type \"String!\" was not "
            "provided.");
  EXPECT_EQ(errors[0].locations, (std::vector<SourceLocation>{{1, 31}}));
  EXPECT_EQ(errors[1].message, "Field \"colour\" is not defined by type \"CreateOrderInput\".");
  EXPECT_EQ(errors[1].locations, (std::vector<SourceLocation>{{1, 44}}));
  EXPECT_EQ(errors[2].message, "Int cannot represent non-integer value: \"2\"");
  EXPECT_EQ(messages("mutation { createOrder(input: \"x\") { id } }"),
            Messages{"Expected value of type \"CreateOrderInput!\", found \"x\"."});
  EXPECT_EQ(messages("{ echo(items: {sku: \"a\", sku: \"b\"}) }"),
            Messages{"There can be only one input field named \"sku\"."});
}

TEST(Validation, LeavesCustomScalarLiteralsToExecution) {
  EXPECT_EQ(messages("{ echo(decimal: 12) }"), Messages{});
}

// ---- Directives ----

TEST(Validation, RejectsUnknownDirectivesAndMissingOrBadArguments) {
  EXPECT_EQ(messages("{ hero @foo }"), Messages{"Unknown directive \"@foo\"."});
  EXPECT_EQ(messages("{ hero @include }"),
            Messages{"Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, "
                     "but it was not provided."});
  EXPECT_EQ(messages("{ hero @skip(if: true, unless: false) }"),
            Messages{"Unknown argument \"unless\" on directive \"@skip\"."});
  EXPECT_EQ(messages("{ hero @skip(if: \"yes\") }"),
            Messages{"Boolean cannot represent a non boolean value: \"yes\""});
}

TEST(Validation, RejectsDirectivesInTheWrongPlaceOrRepeated) {
  EXPECT_EQ(messages("query @skip(if: true) { hero }"),
            Messages{"Directive \"@skip\" may not be used on QUERY."});
  EXPECT_EQ(messages("{ hero @skip(if: true) @skip(if: false) }"),
            Messages{"The directive \"@skip\" can only be used once at this location."});
  EXPECT_EQ(messages("{ ...F } fragment F on Query @include(if: true) { hero }"),
            Messages{"Directive \"@include\" may not be used on FRAGMENT_DEFINITION."});
}

// ---- Fragments ----

TEST(Validation, RejectsUnknownFragments) {
  const auto errors = errors_of("{ order(id: 1) { ...F } }");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].message, "Unknown fragment \"F\".");
  EXPECT_EQ(errors[0].locations, (std::vector<SourceLocation>{{1, 21}}));
}

TEST(Validation, RejectsUnknownAndNonCompositeTypeConditions) {
  EXPECT_EQ(messages("{ ...F } fragment F on Nope { hero }"), Messages{"Unknown type \"Nope\"."});
  EXPECT_EQ(messages("{ ... on Nope { hero } }"), Messages{"Unknown type \"Nope\"."});
  EXPECT_EQ(messages("{ ...F } fragment F on String { hero }"),
            Messages{"Fragment \"F\" cannot condition on non composite type \"String\"."});
  EXPECT_EQ(messages("{ ... on OrderStatus { hero } }"),
            Messages{"Fragment cannot condition on non composite type \"OrderStatus\"."});
}

TEST(Validation, RejectsImpossibleSpreads) {
  EXPECT_EQ(messages("{ ...F } fragment F on Order { id }"),
            Messages{"Fragment \"F\" cannot be spread here as objects of type \"Query\" can "
                     "never be of type \"Order\"."});
  EXPECT_EQ(messages("{ ... on Order { id } }"),
            Messages{"Fragment cannot be spread here as objects of type \"Query\" can never be "
                     "of type \"Order\"."});
}

TEST(Validation, RejectsDuplicateAndUnusedFragments) {
  EXPECT_EQ(messages("{ ...F } fragment F on Query { hero } fragment F on Query { hero }"),
            Messages{"There can be only one fragment named \"F\"."});
  EXPECT_EQ(messages("{ hero } fragment F on Query { hero } fragment G on Query { ...F }"),
            (Messages{"Fragment \"F\" is never used.", "Fragment \"G\" is never used."}));
}

TEST(Validation, ReportsFragmentCyclesWithoutRecursingForever) {
  EXPECT_EQ(messages("{ ...A } fragment A on Query { ...A }"),
            Messages{"Cannot spread fragment \"A\" within itself."});
  const auto errors = errors_of(
      "{ ...A } fragment A on Query { ...B } fragment B on Query { ...C hero } "
      "fragment C on Query { ...A }");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].message, "Cannot spread fragment \"A\" within itself via \"B\", \"C\".");
  EXPECT_EQ(errors[0].locations.size(), 3U);
}

// ---- Operations ----

TEST(Validation, RejectsDuplicateOperationNamesAndAnonymousOperationsThatAreNotAlone) {
  EXPECT_EQ(messages("query A { hero } query A { hero }"),
            Messages{"There can be only one operation named \"A\"."});
  EXPECT_EQ(messages("{ hero } query B { hero }"),
            Messages{"This anonymous operation must be the only defined operation."});
}

TEST(Validation, RejectsOperationTypesTheSchemaLacks) {
  EXPECT_EQ(messages("subscription { hero }"),
            Messages{"Schema is not configured to execute subscription operation."});
}

// ---- Variables ----

TEST(Validation, RejectsUnknownAndNonInputVariableTypes) {
  const auto errors = errors_of("query ($a: [Foo!], $b: Order) { echo(int: 1) }");
  ASSERT_GE(errors.size(), 2U);
  EXPECT_EQ(errors[0].message, "Unknown type \"Foo\".");
  EXPECT_EQ(errors[0].locations, (std::vector<SourceLocation>{{1, 13}}));
  EXPECT_EQ(errors[1].message, "Variable \"$b\" cannot be non-input type \"Order\".");
}

TEST(Validation, RejectsUndefinedUnusedAndRepeatedVariables) {
  EXPECT_EQ(messages("query Q { order(id: $id) { id } }"),
            Messages{"Variable \"$id\" is not defined by operation \"Q\"."});
  EXPECT_EQ(messages("{ ...F } fragment F on Query { order(id: $id) { id } }"),
            Messages{"Variable \"$id\" is not defined."});
  EXPECT_EQ(messages("query Q($x: Int) { hero }"),
            Messages{"Variable \"$x\" is never used in operation \"Q\"."});
  EXPECT_EQ(messages("query ($x: Int, $x: Int) { echo(int: $x) }"),
            Messages{"There can be only one variable named \"$x\"."});
}

TEST(Validation, RequiresVariablesToFitWhereTheyAreUsed) {
  EXPECT_EQ(messages("query ($id: String!) { order(id: $id) { id } }"),
            Messages{"Variable \"$id\" of type \"String!\" used in position expecting type "
                     "\"ID!\"."});
  EXPECT_EQ(messages("query ($id: ID) { order(id: $id) { id } }"),
            Messages{"Variable \"$id\" of type \"ID\" used in position expecting type \"ID!\"."});
  EXPECT_EQ(messages("query ($id: ID = 1) { order(id: $id) { id } }"), Messages{});
  EXPECT_EQ(messages("query ($n: Int) { orders(limit: $n) { id } echo(ints: [$n]) }"), Messages{});
  EXPECT_EQ(messages("query ($b: Boolean) { hero @skip(if: $b) }"),
            Messages{"Variable \"$b\" of type \"Boolean\" used in position expecting type "
                     "\"Boolean!\"."});
  EXPECT_EQ(messages("query ($s: String) { echo(items: [{sku: $s}]) }"),
            Messages{"Variable \"$s\" of type \"String\" used in position expecting type "
                     "\"String!\"."});
}

TEST(Validation, ChecksVariableDefaultValues) {
  EXPECT_EQ(messages("query ($n: Int = \"x\") { echo(int: $n) }"),
            Messages{"Int cannot represent non-integer value: \"x\""});
}

// ---- Field merging ----

TEST(Validation, RejectsFieldsThatCannotMerge) {
  EXPECT_EQ(messages("{ x: hero x: __typename }"),
            Messages{"Fields \"x\" conflict because \"hero\" and \"__typename\" are different "
                     "fields. Use different aliases on the fields to fetch both if this was "
                     "intentional."});
  EXPECT_EQ(messages("{ order(id: 1) { id } ...F } fragment F on Query { order(id: 2) { id } }"),
            Messages{"Fields \"order\" conflict because they have differing arguments. Use "
                     "different aliases on the fields to fetch both if this was intentional."});
  EXPECT_EQ(messages("{ order(id: 1) { a: id } order(id: 1) { a: total } }"),
            Messages{"Fields \"order\" conflict because subfields \"a\" conflict because \"id\" "
                     "and \"total\" are different fields. Use different aliases on the fields "
                     "to fetch both if this was intentional."});
  EXPECT_EQ(messages("{ order(id: 1) { id } order(id: 1) { total } }"), Messages{});
}

// ---- Limits ----

TEST(Validation, LimitsDepthWithFragmentsExpanded) {
  RequestLimits limits;
  limits.max_depth = 2;
  EXPECT_EQ(messages("{ order(id: 1) { id } }", limits), Messages{});
  EXPECT_EQ(messages("{ order(id: 1) { items { sku } } }", limits),
            Messages{"The operation is nested deeper than the maximum depth of 2."});
  EXPECT_EQ(messages("{ order(id: 1) { ...F } } fragment F on Order { items { sku } }", limits),
            Messages{"The operation is nested deeper than the maximum depth of 2."});
}

TEST(Validation, LimitsAliasesWithFragmentsExpanded) {
  RequestLimits limits;
  limits.max_aliases = 2;
  EXPECT_EQ(messages("{ a: hero b: hero }", limits), Messages{});
  EXPECT_EQ(messages("{ ...F ...G } fragment F on Query { a: hero b: hero } "
                     "fragment G on Query { ... { a: hero } }",
                     limits),
            Messages{"The operation uses more than 2 aliases."});
}

TEST(Validation, LimitsFieldsWithFragmentsExpanded) {
  RequestLimits limits;
  limits.max_fields = 5;
  EXPECT_EQ(messages("{ order(id: 1) { id total items { sku } } }", limits), Messages{});
  EXPECT_EQ(messages("{ order(id: 1) { ...F } o: order(id: 1) { ...F } } "
                     "fragment F on Order { id total items { sku } }",
                     limits),
            Messages{"The operation selects more than 5 fields."});
}

TEST(Validation, RejectsAFragmentBombQuickly) {
  // F0 spreads F1 twice, F1 spreads F2 twice...: 2^30 fields once expanded.
  std::string query = "{ ...F0 }";
  for (int level = 0; level < 30; ++level) {
    query += " fragment F" + std::to_string(level) + " on Query { ...F" +
             std::to_string(level + 1) + " ...F" + std::to_string(level + 1) + " }";
  }
  query += " fragment F30 on Query { hero }";
  const auto start = std::chrono::steady_clock::now();
  const Messages result = messages(query);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result, Messages{"The operation selects more than 1000 fields."});
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

TEST(Validation, RejectsADeepFragmentChainQuickly) {
  // Each fragment nests the next inside a field: the depth grows by one per fragment.
  std::string query = "{ ...F0 }";
  for (int level = 0; level < 200; ++level) {
    query += " fragment F" + std::to_string(level) + " on Query { a" + std::to_string(level) +
             ": strictOrder { __typename } ...F" + std::to_string(level + 1) + " ...F" +
             std::to_string(level + 1) + " }";
  }
  query += " fragment F200 on Query { hero }";
  RequestLimits limits;
  limits.max_fields = 1'000'000;
  const auto start = std::chrono::steady_clock::now();
  const Messages result = messages(query, limits);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(result, (Messages{"The operation uses more than 100 aliases.",
                              "The operation selects more than 1000000 fields."}));
}

}  // namespace
}  // namespace choreo::graphql

namespace choreo::graphql {
namespace {

// ---- Executable definitions and the operation limit ----

TEST(Validation, RejectsEachTypeSystemDefinitionAtItsStart) {
  const std::vector<GraphQLError> errors = errors_of(
      "{ hero }\n"
      "type Foo { f: Int }\n"
      "\"described\" scalar S\n"
      "extend schema @d\n"
      "schema { query: Query }\n"
      "directive @d on FIELD\n"
      "extend enum OrderStatus { GONE }\n"
      "fragment F on Query { hero }");
  ASSERT_EQ(errors.size(), 6U);
  EXPECT_EQ(errors[0].message, "The \"Foo\" definition is not executable.");
  EXPECT_EQ(errors[0].locations, (std::vector<SourceLocation>{{2, 1}}));
  EXPECT_EQ(errors[1].message, "The \"S\" definition is not executable.");
  EXPECT_EQ(errors[1].locations, (std::vector<SourceLocation>{{3, 1}}));
  EXPECT_EQ(errors[2].message, "The schema definition is not executable.");
  EXPECT_EQ(errors[2].locations, (std::vector<SourceLocation>{{4, 1}}));
  EXPECT_EQ(errors[3].message, "The schema definition is not executable.");
  EXPECT_EQ(errors[4].message, "The \"d\" definition is not executable.");
  EXPECT_EQ(errors[5].message, "The \"OrderStatus\" definition is not executable.");
  EXPECT_EQ(errors[5].locations, (std::vector<SourceLocation>{{7, 1}}));
  for (const GraphQLError& error : errors) {
    EXPECT_EQ(error.code, error_code::kValidationFailed);
  }
}

TEST(Validation, EveryKindOfTypeSystemDefinitionIsNotExecutable) {
  for (const char* document :
       {"interface I { f: Int }", "union U = A | B", "enum E { A }", "input I { f: Int }",
        "extend type Query { g: Int }", "extend interface I @d", "extend union U = C",
        "extend input I { g: Int }", "extend scalar S @d", "type T implements I & J { f: Int }"}) {
    const Messages found = messages(document);
    ASSERT_EQ(found.size(), 1U) << document;
    EXPECT_NE(found[0].find("definition is not executable."), std::string::npos) << document;
  }
}

TEST(Validation, LimitsTheNumberOfOperations) {
  RequestLimits limits;
  limits.max_operations = 2;
  EXPECT_EQ(messages("query A { hero } query B { hero }", limits), Messages{});
  const std::vector<GraphQLError> errors =
      errors_of("query A { hero } query B { hero }\nquery C { hero }", limits);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].message, "The document contains more than 2 operations.");
  EXPECT_EQ(errors[0].locations, (std::vector<SourceLocation>{{2, 1}}));
  // The default allows ten.
  std::string eleven;
  for (int i = 0; i < 11; ++i) {
    eleven += "query Q" + std::to_string(i) + " { hero } ";
  }
  EXPECT_EQ(messages(eleven), Messages{"The document contains more than 10 operations."});
}

}  // namespace
}  // namespace choreo::graphql
