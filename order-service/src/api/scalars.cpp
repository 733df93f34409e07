#include "api/scalars.hpp"

#include <string>
#include <variant>

namespace choreo::order_service {
namespace {

constexpr std::size_t kMaxDecimalLength = 64;
const char* const kDecimalExpected = "Expected a decimal string such as \"49.99\"";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string checked_decimal(std::string text) {
  if (!is_decimal_text(text)) {
    throw graphql::CoercionError(std::string(kDecimalExpected) + ".");
  }
  return text;
}

// A leaf a resolver produced as text (amounts and times leave the database as strings).
graphql::ResultValue serialize_text(const graphql::ResultValue& value, const char* scalar) {
  if (!std::holds_alternative<std::string>(value.kind)) {
    throw graphql::CoercionError(std::string(scalar) + " cannot represent a non-string value.");
  }
  return value;
}

}  // namespace

bool is_decimal_text(std::string_view text) {
  if (text.empty() || text.size() > kMaxDecimalLength) {
    return false;
  }
  std::size_t at = text.front() == '-' ? 1 : 0;
  const std::size_t integer_start = at;
  while (at < text.size() && is_digit(text[at]))
    ++at;
  if (at == integer_start) {
    return false;
  }
  if (at == text.size()) {
    return true;
  }
  if (text[at] != '.') {
    return false;
  }
  const std::size_t fraction_start = ++at;
  while (at < text.size() && is_digit(text[at]))
    ++at;
  return at > fraction_start && at == text.size();
}

graphql::ScalarDefinition decimal_scalar() {
  graphql::ScalarDefinition scalar;
  scalar.name = "Decimal";
  scalar.description = "An exact decimal amount, written as a string: \"49.99\".";
  scalar.serialize = [](const graphql::ResultValue& value) {
    return serialize_text(value, "Decimal");
  };
  scalar.parse_value = [](const graphql::InputValue& value) {
    if (const auto* text = value.string()) {
      return graphql::InputValue{checked_decimal(*text)};
    }
    // Whole JSON numbers are exact; fractional ones are not (49.99 may arrive as 49.989999...).
    if (const auto* integer = value.integer()) {
      return graphql::InputValue{std::to_string(*integer)};
    }
    throw graphql::CoercionError(std::string(kDecimalExpected) + ".");
  };
  scalar.parse_literal = [](const graphql::Value& literal) {
    // Number literals keep their source text, so 49.99 written in a document stays exact.
    if (const auto* text = std::get_if<graphql::StringValue>(&literal.kind)) {
      return graphql::InputValue{checked_decimal(text->value)};
    }
    if (const auto* integer = std::get_if<graphql::IntValue>(&literal.kind)) {
      return graphql::InputValue{checked_decimal(integer->text)};
    }
    if (const auto* number = std::get_if<graphql::FloatValue>(&literal.kind)) {
      return graphql::InputValue{checked_decimal(number->text)};
    }
    throw graphql::CoercionError(std::string(kDecimalExpected) + ".");
  };
  return scalar;
}

graphql::ScalarDefinition date_time_scalar() {
  graphql::ScalarDefinition scalar;
  scalar.name = "DateTime";
  scalar.description =
      "An ISO-8601 date and time with its offset: \"2026-11-24T09:30:00.000000Z\".";
  scalar.serialize = [](const graphql::ResultValue& value) {
    return serialize_text(value, "DateTime");
  };
  // No argument takes a DateTime yet; accept the string form so one can.
  scalar.parse_value = [](const graphql::InputValue& value) {
    if (value.string() == nullptr) {
      throw graphql::CoercionError("Expected an ISO-8601 date-time string.");
    }
    return value;
  };
  scalar.parse_literal = [](const graphql::Value& literal) {
    if (const auto* text = std::get_if<graphql::StringValue>(&literal.kind)) {
      return graphql::InputValue{text->value};
    }
    throw graphql::CoercionError("Expected an ISO-8601 date-time string.");
  };
  return scalar;
}

graphql::ScalarDefinition json_scalar() {
  graphql::ScalarDefinition scalar;
  scalar.name = "JSON";
  scalar.description = "Any JSON value.";
  scalar.serialize = [](const graphql::ResultValue& value) { return value; };
  scalar.parse_value = [](const graphql::InputValue& value) { return value; };
  // No argument takes JSON; literals other than plain strings are refused rather than guessed.
  scalar.parse_literal = [](const graphql::Value& literal) {
    if (const auto* text = std::get_if<graphql::StringValue>(&literal.kind)) {
      return graphql::InputValue{text->value};
    }
    throw graphql::CoercionError("JSON arguments must be passed as variables.");
  };
  return scalar;
}

}  // namespace choreo::order_service
