#include "api/order_schema.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "api/api_context.hpp"
#include "api/order_records.hpp"
#include "api/scalars.hpp"

namespace choreo::order_service {
namespace {

using graphql::FieldContext;
using graphql::FieldDefinition;
using graphql::FieldError;
using graphql::Resolved;
using graphql::ResultValue;

constexpr std::int64_t kMaxPageSize = 100;
// Deep offsets make PostgreSQL walk and discard every skipped row; past this, ask for filters.
constexpr std::int64_t kMaxOffset = 100'000;

ApiContext& api(const FieldContext& context) {
  return *context.context_as<ApiContext*>();
}

Resolved text_or_null(const std::optional<std::string>& text) {
  return text ? Resolved(ResultValue(*text)) : Resolved();
}

const std::string& string_argument(const graphql::InputObject& object, std::string_view name) {
  static const std::string empty;
  const auto* value = object.find(name);
  const auto* text = value == nullptr ? nullptr : value->string();
  return text == nullptr ? empty : *text;
}

std::int64_t int_argument(const FieldContext& context, std::string_view name,
                          std::int64_t fallback) {
  const auto* value = context.arguments.find(name);
  const auto* number = value == nullptr ? nullptr : value->integer();
  return number == nullptr ? fallback : *number;
}

// An accessor of a record field, as a resolver.
template <typename Record, typename Member>
graphql::FieldResolver member(Member Record::*field) {
  return [field](const FieldContext& context) -> Resolved {
    const auto& value = context.source_as<Record>().*field;
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::optional<std::string>>) {
      return text_or_null(value);
    } else if constexpr (std::is_same_v<std::decay_t<decltype(value)>, int>) {
      return ResultValue(static_cast<std::int64_t>(value));
    } else {
      return ResultValue(value);
    }
  };
}

template <typename Record>
Resolved object_list(const std::vector<Record>& records) {
  std::vector<Resolved> items;
  items.reserve(records.size());
  for (const auto& record : records) {
    items.push_back(Resolved::object(record));
  }
  return Resolved::list(std::move(items));
}

Resolved order_or_null(std::optional<OrderRecord> order) {
  return order ? Resolved::object(std::move(*order)) : Resolved();
}

CreateOrderCommand read_create_order_input(const graphql::InputObject& input) {
  CreateOrderCommand command;
  command.identifier = string_argument(input, "identifier");
  command.total = string_argument(input, "total");
  if (const auto* items = input.find("items"); items != nullptr && items->list() != nullptr) {
    for (const auto& item : items->list()->items) {
      const auto* fields = item.object();
      if (fields == nullptr)
        continue;  // the engine's coercion guarantees objects
      const auto* quantity = fields->find("quantity");
      command.items.emplace_back(string_argument(*fields, "sku"),
                                 quantity && quantity->integer() ? *quantity->integer() : 0);
    }
  }
  if (const auto* address = input.find("shippingAddress"); address && address->string()) {
    command.shipping_address = *address->string();
  }
  return command;
}

Resolved create_order(const FieldContext& context) {
  const auto* input = context.arguments.find("input");
  if (input == nullptr || input->object() == nullptr) {
    throw FieldError("createOrder needs an input.", graphql::error_code::kBadUserInput);
  }
  auto& scope = api(context);
  const auto outcome =
      scope.store.create_order(scope.user, read_create_order_input(*input->object()));
  switch (outcome.kind) {
    case CreateOrderOutcome::Kind::kCreated:
    case CreateOrderOutcome::Kind::kExisting:
      if (auto order = scope.store.order(outcome.order_id.value_or(""))) {
        return Resolved::object(std::move(*order));
      }
      throw std::runtime_error("createOrder: the order it answered with is not visible");
    case CreateOrderOutcome::Kind::kConflict:
      throw FieldError("An order with this identifier already exists for another user.",
                       "CONFLICT");
    case CreateOrderOutcome::Kind::kInvalid:
      break;
  }
  throw FieldError(outcome.message.empty() ? "Invalid order." : outcome.message,
                   graphql::error_code::kBadUserInput);
}

std::vector<FieldDefinition> order_fields() {
  return {
      {"id", "ID!", {}, member(&OrderRecord::id)},
      {"identifier", "String!", {}, member(&OrderRecord::identifier)},
      {"total", "Decimal!", {}, member(&OrderRecord::total)},
      {"status", "String!", {}, member(&OrderRecord::status), "pending | paid | shipped | failed"},
      {"failureReason", "String", {}, member(&OrderRecord::failure_reason)},
      {"createdAt", "DateTime!", {}, member(&OrderRecord::created_at)},
      {"updatedAt", "DateTime!", {}, member(&OrderRecord::updated_at)},
      {"items",
       "[OrderItem!]!",
       {},
       [](const FieldContext& context) {
         return object_list(api(context).store.items(context.source_as<OrderRecord>().pk));
       }},
      {"payment",
       "Payment",
       {},
       [](const FieldContext& context) {
         const auto* payment = api(context).store.payment(context.source_as<OrderRecord>().pk);
         return payment ? Resolved::object(*payment) : Resolved();
       }},
      {"shipment",
       "Shipment",
       {},
       [](const FieldContext& context) {
         const auto* shipment = api(context).store.shipment(context.source_as<OrderRecord>().pk);
         return shipment ? Resolved::object(*shipment) : Resolved();
       }},
      {"events",
       "[OrderEvent!]!",
       {},
       [](const FieldContext& context) {
         return object_list(api(context).store.events(context.source_as<OrderRecord>().pk));
       },
       "This order's rows of the event log, oldest first."},
  };
}

}  // namespace

graphql::Schema build_order_schema() {
  graphql::SchemaBuilder builder;
  builder.scalar(decimal_scalar()).scalar(date_time_scalar()).scalar(json_scalar());

  builder.object("Order", order_fields(), "A customer order.");
  builder.object("OrderItem", {{"sku", "String!", {}, member(&OrderItemRecord::sku)},
                               {"quantity", "Int!", {}, member(&OrderItemRecord::quantity)},
                               {"unitPrice",
                                "Decimal!",
                                {},
                                member(&OrderItemRecord::unit_price),
                                "The product's price when the order was placed."}});
  builder.object("Payment",
                 {{"id", "ID!", {}, member(&PaymentRecord::id)},
                  {"amount", "Decimal!", {}, member(&PaymentRecord::amount)},
                  {"status", "String!", {}, member(&PaymentRecord::status), "succeeded | failed"},
                  {"providerId", "String", {}, member(&PaymentRecord::provider_id)}});
  builder.object("Shipment",
                 {{"carrier", "String!", {}, member(&ShipmentRecord::carrier)},
                  {"trackingNumber", "String!", {}, member(&ShipmentRecord::tracking_number)},
                  {"labelId", "String!", {}, member(&ShipmentRecord::label_id)}});
  builder.object(
      "OrderEvent",
      {{"type", "String!", {}, member(&OrderEventRecord::type), "The subject."},
       {"recordedAt", "DateTime!", {}, member(&OrderEventRecord::recorded_at)},
       {"data",
        "JSON!",
        {},
        [](const FieldContext& context) -> Resolved {
          return ResultValue(graphql::RawJson{context.source_as<OrderEventRecord>().data_json});
        },
        "The published payload."}});
  builder.object("Product", {{"sku", "String!", {}, member(&ProductRecord::sku)},
                             {"name", "String!", {}, member(&ProductRecord::name)},
                             {"price", "Decimal!", {}, member(&ProductRecord::price)},
                             {"available",
                              "Int!",
                              {},
                              member(&ProductRecord::available),
                              "Units in stock and not reserved."}});

  builder.input_object("OrderItemInput", {{"sku", "String!"}, {"quantity", "Int!"}});
  builder.input_object("CreateOrderInput", {{"identifier", "String!"},
                                            {"total", "Decimal!"},
                                            {"items", "[OrderItemInput!]"},
                                            {"shippingAddress", "String"}});

  builder.object("Query", {{"order",
                            "Order",
                            {{"id", "ID!"}},
                            [](const FieldContext& context) {
                              const auto* id = context.arguments.find("id");
                              return order_or_null(api(context).store.order_with_details(
                                  id && id->string() ? *id->string() : ""));
                            },
                            "Null when not found or not yours."},
                           {"orders",
                            "[Order!]!",
                            {{"limit", "Int", "20"}, {"offset", "Int", "0"}},
                            [](const FieldContext& context) {
                              const auto limit = int_argument(context, "limit", 20);
                              const auto offset = int_argument(context, "offset", 0);
                              if (limit < 1 || limit > kMaxPageSize) {
                                throw FieldError("limit must be between 1 and 100.",
                                                 graphql::error_code::kBadUserInput);
                              }
                              if (offset < 0 || offset > kMaxOffset) {
                                throw FieldError("offset must be between 0 and 100000.",
                                                 graphql::error_code::kBadUserInput);
                              }
                              return object_list(api(context).store.orders(limit, offset));
                            },
                            "Yours only, newest first."},
                           {"products", "[Product!]!", {}, [](const FieldContext& context) {
                              return object_list(api(context).store.products());
                            }}});
  builder.object("Mutation", {{"createOrder",
                               "Order!",
                               {{"input", "CreateOrderInput!"}},
                               create_order,
                               "Returns the order with status \"pending\"; repeating an "
                               "identifier you used returns that order again."}});
  builder.object("Subscription",
                 {{"orderStatusUpdated",
                   "Order!",
                   {{"orderId", "ID"}},
                   [](const FieldContext& context) { return Resolved::object(context.source); },
                   "Your orders only."}});
  builder.query("Query").mutation("Mutation").subscription("Subscription");
  return builder.build();
}

}  // namespace choreo::order_service
