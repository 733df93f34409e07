#pragma once

#include <string_view>

#include "graphql/schema.hpp"

// The custom scalars of docs/api.md: Decimal (a string on the wire, "49.99"), DateTime (ISO-8601
// with offset) and JSON (any JSON value, written through as it is).
namespace choreo::order_service {

// "49.99", "0", "-1.5", "12.345": an optional minus, digits, optionally a dot and digits. Whether
// the value is non-negative, has at most two places and fits NUMERIC(10,2) is the business rule of
// fn_create_order, which answers with a precise message.
bool is_decimal_text(std::string_view text);

graphql::ScalarDefinition decimal_scalar();
graphql::ScalarDefinition date_time_scalar();
graphql::ScalarDefinition json_scalar();

}  // namespace choreo::order_service
