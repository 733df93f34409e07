#pragma once

// A small order schema with in-memory resolvers, shared by the engine's unit tests. Some fields
// misbehave on purpose (they throw, return null where they must not, return the wrong kind) so
// the tests can watch the executor cope.

#include <any>
#include <stdexcept>
#include <string>
#include <vector>

#include "graphql/errors.hpp"
#include "graphql/inspect.hpp"
#include "graphql/schema.hpp"

namespace choreo::graphql::testing {

struct TestItem {
  std::string sku;
  std::int64_t quantity = 0;
};

struct TestOrder {
  std::string id;
  std::string identifier;
  std::string total;
  std::string status;
  std::vector<TestItem> items;
};

// Per request: what the mutation resolvers did, in order.
struct TestContext {
  std::vector<std::string> calls;
};

// A coerced value spelled out in full (inspect() abbreviates deep values).
inline std::string dump(const InputValue& value) {
  if (const InputList* list = value.list()) {
    std::string out = "[";
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      out += (i > 0 ? ", " : "") + dump(list->items[i]);
    }
    return out + "]";
  }
  if (const InputObject* object = value.object()) {
    std::string out = "{";
    for (std::size_t i = 0; i < object->fields.size(); ++i) {
      out += (i > 0 ? ", " : " ") + object->fields[i].name + ": " + dump(object->fields[i].value);
    }
    return out + " }";
  }
  return inspect(value);
}

inline std::vector<TestOrder> test_orders() {
  return {
      {"1", "first", "10.00", "PENDING", {{"sku-1", 2}}},
      {"2", "second", "20.50", "PAID", {}},
      {"3", "third", "30.00", "SHIPPED", {{"sku-2", 1}, {"sku-3", 4}}},
  };
}

inline bool is_decimal(const std::string& text) {
  const std::size_t dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || (dot != std::string::npos && (fraction.empty() || fraction.size() > 2))) {
    return false;
  }
  for (const char c : whole + fraction) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

inline ScalarDefinition decimal_scalar() {
  constexpr const char* kReason = "Expected a decimal string such as \"49.99\"";
  return ScalarDefinition{"Decimal", "A decimal number, as a string.",
                          [](const ResultValue& value) -> ResultValue {
                            const auto* text = std::get_if<std::string>(&value.kind);
                            if (text == nullptr || !is_decimal(*text)) {
                              throw CoercionError(kReason);
                            }
                            return value;
                          },
                          [](const InputValue& value) -> InputValue {
                            if (value.string() == nullptr || !is_decimal(*value.string())) {
                              throw CoercionError(kReason);
                            }
                            return value;
                          },
                          [](const Value& literal) -> InputValue {
                            const auto* text = std::get_if<StringValue>(&literal.kind);
                            if (text == nullptr || !is_decimal(text->value)) {
                              throw CoercionError(kReason);
                            }
                            return InputValue{text->value};
                          }};
}

template <typename Field>
FieldResolver from_order(Field field) {
  return [field](const FieldContext& context) -> Resolved {
    return field(context.source_as<TestOrder>());
  };
}

inline Resolved order_list(const std::vector<TestOrder>& orders) {
  std::vector<Resolved> items;
  for (const TestOrder& order : orders) {
    items.push_back(Resolved::object(order));
  }
  return Resolved::list(std::move(items));
}

inline Schema make_test_schema() {
  SchemaBuilder builder;
  builder.scalar(decimal_scalar());
  builder.enumeration("OrderStatus",
                      {{"PENDING", "Not paid yet.", std::nullopt},
                       {"PAID", "", std::nullopt},
                       {"SHIPPED", "", std::nullopt},
                       {"LOST", "", "Use FAILED."}},
                      "Where an order is.");
  builder.object(
      "OrderItem",
      {{"sku",
        "String!",
        {},
        [](const FieldContext& c) -> Resolved { return ResultValue(c.source_as<TestItem>().sku); }},
       {"quantity", "Int!", {}, [](const FieldContext& c) -> Resolved {
          return ResultValue(c.source_as<TestItem>().quantity);
        }}});
  builder.object(
      "Order",
      {{"id", "ID!", {}, from_order([](const TestOrder& o) {
          return Resolved(ResultValue(o.id));
        })},
       {"identifier", "String!", {}, from_order([](const TestOrder& o) {
          return Resolved(ResultValue(o.identifier));
        })},
       {"total", "Decimal!", {}, from_order([](const TestOrder& o) {
          return Resolved(ResultValue(o.total));
        })},
       {"status", "OrderStatus!", {}, from_order([](const TestOrder& o) {
          return Resolved(ResultValue(o.status));
        })},
       {"items", "[OrderItem!]!", {}, from_order([](const TestOrder& o) {
          std::vector<Resolved> items;
          for (const TestItem& item : o.items) {
            items.push_back(Resolved::object(item));
          }
          return Resolved::list(std::move(items));
        })},
       {"note", "String", {}, [](const FieldContext&) { return Resolved(); }},
       {"failing",
        "String",
        {},
        [](const FieldContext&) -> Resolved { throw FieldError("Not yours.", "FORBIDDEN"); }},
       {"exploding",
        "String",
        {},
        [](const FieldContext&) -> Resolved {
          throw std::runtime_error("db password is hunter2");
        }},
       {"required", "String!", {}, [](const FieldContext&) { return Resolved(); }},
       {"badTotal", "Decimal", {}, [](const FieldContext&) { return Resolved(ResultValue("x")); }},
       {"badInt", "Int", {}, [](const FieldContext&) { return Resolved(ResultValue(1.5)); }},
       {"badStatus",
        "OrderStatus",
        {},
        [](const FieldContext&) { return Resolved(ResultValue("NOPE")); }},
       {"wrongKind",
        "String",
        {},
        [](const FieldContext&) { return Resolved::object(std::string("?")); }},
       {"legacy",
        "String",
        {},
        [](const FieldContext&) { return Resolved(ResultValue("old")); },
        "An old field.",
        "Use identifier."}},
      "An order.");
  builder.input_object("OrderItemInput", {{"sku", "String!"}, {"quantity", "Int!", "1"}});
  builder.input_object("CreateOrderInput", {{"identifier", "String!"},
                                            {"total", "Decimal!"},
                                            {"items", "[OrderItemInput!]"},
                                            {"shippingAddress", "String"}});
  builder.object(
      "Query",
      {{"hero", "String", {}, [](const FieldContext&) { return Resolved(ResultValue("R2-D2")); }},
       {"order",
        "Order",
        {{"id", "ID!"}},
        [](const FieldContext& c) -> Resolved {
          const std::string& id = *c.arguments.find("id")->string();
          for (const TestOrder& order : test_orders()) {
            if (order.id == id) {
              return Resolved::object(order);
            }
          }
          return Resolved();
        }},
       {"orders",
        "[Order!]!",
        {{"limit", "Int", "20"}, {"offset", "Int", "0"}},
        [](const FieldContext& c) -> Resolved {
          const std::vector<TestOrder> all = test_orders();
          const auto offset = static_cast<std::size_t>(*c.arguments.find("offset")->integer());
          const auto limit = static_cast<std::size_t>(*c.arguments.find("limit")->integer());
          std::vector<TestOrder> page;
          for (std::size_t i = offset; i < all.size() && page.size() < limit; ++i) {
            page.push_back(all[i]);
          }
          return order_list(page);
        }},
       // Answers with the coerced arguments, so tests can see what coercion produced.
       {"echo",
        "String",
        {{"int", "Int"},
         {"float", "Float"},
         {"string", "String"},
         {"boolean", "Boolean"},
         {"id", "ID"},
         {"status", "OrderStatus"},
         {"decimal", "Decimal"},
         {"ints", "[Int]"},
         {"input", "CreateOrderInput"},
         {"items", "[OrderItemInput!]"},
         {"defaulted", "String", "\"fallback\""}},
        [](const FieldContext& c) -> Resolved {
          return ResultValue(dump(InputValue{c.arguments.all()}));
        }},
       {"path",
        "[String!]!",
        {},
        [](const FieldContext& c) -> Resolved {
          std::vector<Resolved> segments;
          for (const PathSegment& segment : c.path) {
            segments.push_back(ResultValue(std::get<std::string>(segment)));
          }
          return Resolved::list(std::move(segments));
        }},
       {"nullableOrders",
        "[Order]",
        {},
        [](const FieldContext&) {
          return Resolved::list({Resolved::object(test_orders()[0]), Resolved()});
        }},
       {"brokenOrders",
        "[Order!]",
        {},
        [](const FieldContext&) {
          return Resolved::list({Resolved::object(test_orders()[0]), Resolved()});
        }},
       {"strictOrder",
        "Order!",
        {},
        [](const FieldContext&) { return Resolved::object(test_orders()[0]); }},
       {"missingOrder", "Order!", {}, [](const FieldContext&) { return Resolved(); }}});
  builder.object("Mutation", {{"createOrder",
                               "Order!",
                               {{"input", "CreateOrderInput!"}},
                               [](const FieldContext& c) -> Resolved {
                                 const InputObject& input = *c.arguments.find("input")->object();
                                 c.context_as<TestContext>().calls.push_back(
                                     "create " + *input.find("identifier")->string());
                                 TestOrder order{"9",
                                                 *input.find("identifier")->string(),
                                                 *input.find("total")->string(),
                                                 "PENDING",
                                                 {}};
                                 return Resolved::object(order);
                               }}});
  builder.query("Query").mutation("Mutation");
  return builder.build();
}

}  // namespace choreo::graphql::testing
