// The order schema as a client sees it through introspection: the standard query runs without a
// request context, and what it returns matches the SDL of docs/api.md (descriptions aside).
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/order_schema.hpp"
#include "graphql/executor.hpp"
#include "graphql/introspection_query.hpp"

namespace choreo::order_service {
namespace {

using graphql::ResultField;
using graphql::ResultList;
using graphql::ResultObject;
using graphql::ResultValue;

const ResultValue& member(const ResultValue& object, std::string_view key) {
  for (const ResultField& field : std::get<ResultObject>(object.kind).fields) {
    if (field.name == key) {
      return field.value;
    }
  }
  throw std::out_of_range("no member " + std::string(key));
}

const std::vector<ResultValue>& items(const ResultValue& list) {
  return std::get<ResultList>(list.kind).items;
}

std::string text(const ResultValue& value) {
  return value.is_null() ? std::string() : std::get<std::string>(value.kind);
}

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

std::string input_value_sdl(const ResultValue& value) {
  std::string sdl = text(member(value, "name")) + ": " + type_sdl(member(value, "type"));
  if (!member(value, "defaultValue").is_null()) {
    sdl += " = " + text(member(value, "defaultValue"));
  }
  return sdl;
}

// One line per type: "type Query { order(id: ID!): Order ... }" in the schema's field order.
std::string type_line(const ResultValue& type) {
  const std::string kind = text(member(type, "kind"));
  std::string line = kind + " " + text(member(type, "name"));
  if (kind == "OBJECT") {
    line += " {";
    for (const ResultValue& field : items(member(type, "fields"))) {
      line += " " + text(member(field, "name"));
      const auto& arguments = items(member(field, "args"));
      for (std::size_t i = 0; i < arguments.size(); ++i) {
        line += (i == 0 ? "(" : ", ") + input_value_sdl(arguments[i]);
      }
      line += arguments.empty() ? "" : ")";
      line += ": " + type_sdl(member(field, "type"));
    }
    line += " }";
  } else if (kind == "INPUT_OBJECT") {
    line += " {";
    for (const ResultValue& field : items(member(type, "inputFields"))) {
      line += " " + input_value_sdl(field);
    }
    line += " }";
  }
  return line;
}

TEST(OrderSchemaIntrospection, MatchesTheContractsSdl) {
  const graphql::Schema schema = build_order_schema();
  const graphql::Preparation preparation =
      graphql::prepare(schema, graphql::kIntrospectionQuery, std::nullopt);
  ASSERT_TRUE(preparation.prepared.has_value()) << graphql::to_json(preparation.errors);
  graphql::ExecutionOptions no_request_context;  // introspection must not need one
  const graphql::ExecutionResult result =
      graphql::execute(schema, *preparation.prepared, {}, no_request_context);
  ASSERT_TRUE(result.errors.empty()) << graphql::to_json(result);

  const ResultValue& introspected = member(*result.data, "__schema");
  EXPECT_EQ(text(member(member(introspected, "queryType"), "name")), "Query");
  EXPECT_EQ(text(member(member(introspected, "mutationType"), "name")), "Mutation");
  EXPECT_EQ(text(member(member(introspected, "subscriptionType"), "name")), "Subscription");

  std::map<std::string, std::string> lines;
  for (const ResultValue& type : items(member(introspected, "types"))) {
    const std::string name = text(member(type, "name"));
    if (name.rfind("__", 0) != 0) {
      lines[name] = type_line(type);
    }
  }
  const std::map<std::string, std::string> expected = {
      {"Boolean", "SCALAR Boolean"},
      {"CreateOrderInput",
       "INPUT_OBJECT CreateOrderInput { identifier: String! total: Decimal! items: "
       "[OrderItemInput!] shippingAddress: String }"},
      {"DateTime", "SCALAR DateTime"},
      {"Decimal", "SCALAR Decimal"},
      {"ID", "SCALAR ID"},
      {"Int", "SCALAR Int"},
      {"JSON", "SCALAR JSON"},
      {"Mutation", "OBJECT Mutation { createOrder(input: CreateOrderInput!): Order! }"},
      {"Order",
       "OBJECT Order { id: ID! identifier: String! total: Decimal! status: String! "
       "failureReason: String createdAt: DateTime! updatedAt: DateTime! items: [OrderItem!]! "
       "payment: Payment shipment: Shipment events: [OrderEvent!]! }"},
      {"OrderEvent", "OBJECT OrderEvent { type: String! recordedAt: DateTime! data: JSON! }"},
      {"OrderItem", "OBJECT OrderItem { sku: String! quantity: Int! unitPrice: Decimal! }"},
      {"OrderItemInput", "INPUT_OBJECT OrderItemInput { sku: String! quantity: Int! }"},
      {"Payment", "OBJECT Payment { id: ID! amount: Decimal! status: String! providerId: String }"},
      {"Product", "OBJECT Product { sku: String! name: String! price: Decimal! available: Int! }"},
      {"Query",
       "OBJECT Query { order(id: ID!): Order orders(limit: Int = 20, offset: Int = 0): "
       "[Order!]! products: [Product!]! }"},
      {"Shipment", "OBJECT Shipment { carrier: String! trackingNumber: String! labelId: String! }"},
      {"String", "SCALAR String"},
      {"Subscription", "OBJECT Subscription { orderStatusUpdated(orderId: ID): Order! }"},
  };
  EXPECT_EQ(lines, expected);

  std::vector<std::string> directives;
  for (const ResultValue& directive : items(member(introspected, "directives"))) {
    directives.push_back(text(member(directive, "name")));
  }
  EXPECT_EQ(directives, (std::vector<std::string>{"include", "skip", "deprecated", "specifiedBy"}));
}

}  // namespace
}  // namespace choreo::order_service
