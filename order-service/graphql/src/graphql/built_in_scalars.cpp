#include "graphql/built_in_scalars.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>

#include "graphql/errors.hpp"
#include "graphql/inspect.hpp"
#include "graphql/printer.hpp"

namespace choreo::graphql {

namespace {

constexpr std::int64_t kMinInt = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int32_t>::max();

bool fits_int(std::int64_t value) {
  return value >= kMinInt && value <= kMaxInt;
}

// Whether a double holds a whole number that an int64 can represent exactly.
std::optional<std::int64_t> whole_number(double value) {
  if (!std::isfinite(value) || std::trunc(value) != value || value < -9.2e18 || value > 9.2e18) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(value);
}

std::optional<double> parse_double(const std::string& text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::unique_ptr<TypeDefinition> make_scalar(std::string name, std::string description) {
  auto type = std::make_unique<TypeDefinition>();
  type->kind = TypeKind::kScalar;
  type->name = std::move(name);
  type->description = std::move(description);
  type->built_in = true;
  return type;
}

std::unique_ptr<TypeDefinition> make_int() {
  auto type = make_scalar("Int",
                          "The `Int` scalar type represents non-fractional signed whole numeric "
                          "values. Int can represent values between -(2^31) and 2^31 - 1.");
  type->serialize = [](const ResultValue& value) -> ResultValue {
    std::optional<std::int64_t> number;
    if (const auto* i = std::get_if<std::int64_t>(&value.kind)) {
      number = *i;
    } else if (const auto* d = std::get_if<double>(&value.kind)) {
      number = whole_number(*d);
    } else if (const auto* b = std::get_if<bool>(&value.kind)) {
      number = *b ? 1 : 0;
    }
    if (!number) {
      throw CoercionError("Int cannot represent non-integer value: " + inspect(value));
    }
    if (!fits_int(*number)) {
      throw CoercionError("Int cannot represent non 32-bit signed integer value: " +
                          inspect(value));
    }
    return ResultValue(*number);
  };
  type->parse_value = [](const InputValue& value) -> InputValue {
    std::optional<std::int64_t> number;
    if (const auto* i = value.integer()) {
      number = *i;
    } else if (const auto* d = value.number()) {
      number = whole_number(*d);
    }
    if (!number) {
      throw CoercionError("Int cannot represent non-integer value: " + inspect(value));
    }
    if (!fits_int(*number)) {
      throw CoercionError("Int cannot represent non 32-bit signed integer value: " +
                          inspect(value));
    }
    return InputValue{*number};
  };
  type->parse_literal = [](const Value& literal) -> InputValue {
    const auto* integer = std::get_if<IntValue>(&literal.kind);
    if (integer == nullptr) {
      throw CoercionError("Int cannot represent non-integer value: " + print(literal));
    }
    std::int64_t number = 0;
    const std::string& text = integer->text;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), number);
    if (result.ec != std::errc{} || !fits_int(number)) {
      throw CoercionError("Int cannot represent non 32-bit signed integer value: " + text);
    }
    return InputValue{number};
  };
  return type;
}

std::unique_ptr<TypeDefinition> make_float() {
  auto type = make_scalar("Float",
                          "The `Float` scalar type represents signed double-precision fractional "
                          "values as specified by IEEE 754.");
  type->serialize = [](const ResultValue& value) -> ResultValue {
    if (const auto* i = std::get_if<std::int64_t>(&value.kind)) {
      return ResultValue(static_cast<double>(*i));
    }
    if (const auto* d = std::get_if<double>(&value.kind); d != nullptr && std::isfinite(*d)) {
      return ResultValue(*d);
    }
    if (const auto* b = std::get_if<bool>(&value.kind)) {
      return ResultValue(*b ? 1.0 : 0.0);
    }
    throw CoercionError("Float cannot represent non numeric value: " + inspect(value));
  };
  type->parse_value = [](const InputValue& value) -> InputValue {
    if (const auto* i = value.integer()) {
      return InputValue{static_cast<double>(*i)};
    }
    if (const auto* d = value.number(); d != nullptr && std::isfinite(*d)) {
      return InputValue{*d};
    }
    throw CoercionError("Float cannot represent non numeric value: " + inspect(value));
  };
  type->parse_literal = [](const Value& literal) -> InputValue {
    std::optional<double> number;
    if (const auto* integer = std::get_if<IntValue>(&literal.kind)) {
      number = parse_double(integer->text);
    } else if (const auto* floating = std::get_if<FloatValue>(&literal.kind)) {
      number = parse_double(floating->text);
    }
    if (!number) {
      throw CoercionError("Float cannot represent non numeric value: " + print(literal));
    }
    return InputValue{*number};
  };
  return type;
}

std::unique_ptr<TypeDefinition> make_string() {
  auto type = make_scalar("String",
                          "The `String` scalar type represents textual data, represented as UTF-8 "
                          "character sequences.");
  type->serialize = [](const ResultValue& value) -> ResultValue {
    if (const auto* s = std::get_if<std::string>(&value.kind)) {
      return ResultValue(*s);
    }
    if (const auto* b = std::get_if<bool>(&value.kind)) {
      return ResultValue(*b ? "true" : "false");
    }
    if (const auto* i = std::get_if<std::int64_t>(&value.kind)) {
      return ResultValue(std::to_string(*i));
    }
    if (const auto* d = std::get_if<double>(&value.kind); d != nullptr && std::isfinite(*d)) {
      return ResultValue(format_double(*d));
    }
    throw CoercionError("String cannot represent value: " + inspect(value));
  };
  type->parse_value = [](const InputValue& value) -> InputValue {
    if (value.string() == nullptr) {
      throw CoercionError("String cannot represent a non string value: " + inspect(value));
    }
    return value;
  };
  type->parse_literal = [](const Value& literal) -> InputValue {
    const auto* string = std::get_if<StringValue>(&literal.kind);
    if (string == nullptr) {
      throw CoercionError("String cannot represent a non string value: " + print(literal));
    }
    return InputValue{string->value};
  };
  return type;
}

std::unique_ptr<TypeDefinition> make_boolean() {
  auto type = make_scalar("Boolean", "The `Boolean` scalar type represents `true` or `false`.");
  type->serialize = [](const ResultValue& value) -> ResultValue {
    if (const auto* b = std::get_if<bool>(&value.kind)) {
      return ResultValue(*b);
    }
    if (const auto* i = std::get_if<std::int64_t>(&value.kind)) {
      return ResultValue(*i != 0);
    }
    if (const auto* d = std::get_if<double>(&value.kind); d != nullptr && std::isfinite(*d)) {
      return ResultValue(*d != 0);
    }
    throw CoercionError("Boolean cannot represent a non boolean value: " + inspect(value));
  };
  type->parse_value = [](const InputValue& value) -> InputValue {
    if (value.boolean() == nullptr) {
      throw CoercionError("Boolean cannot represent a non boolean value: " + inspect(value));
    }
    return value;
  };
  type->parse_literal = [](const Value& literal) -> InputValue {
    const auto* boolean = std::get_if<BooleanValue>(&literal.kind);
    if (boolean == nullptr) {
      throw CoercionError("Boolean cannot represent a non boolean value: " + print(literal));
    }
    return InputValue{boolean->value};
  };
  return type;
}

std::unique_ptr<TypeDefinition> make_id() {
  auto type = make_scalar("ID",
                          "The `ID` scalar type represents a unique identifier, often used to "
                          "refetch an object or as key for a cache. The ID type appears in a JSON "
                          "response as a String; however, it is not intended to be "
                          "human-readable. When expected as an input type, any string (such as "
                          "`\"4\"`) or integer (such as `4`) input value will be accepted as an "
                          "ID.");
  type->serialize = [](const ResultValue& value) -> ResultValue {
    if (const auto* s = std::get_if<std::string>(&value.kind)) {
      return ResultValue(*s);
    }
    if (const auto* i = std::get_if<std::int64_t>(&value.kind)) {
      return ResultValue(std::to_string(*i));
    }
    if (const auto* d = std::get_if<double>(&value.kind)) {
      if (const auto whole = whole_number(*d)) {
        return ResultValue(std::to_string(*whole));
      }
    }
    throw CoercionError("ID cannot represent value: " + inspect(value));
  };
  type->parse_value = [](const InputValue& value) -> InputValue {
    if (value.string() != nullptr) {
      return value;
    }
    if (const auto* i = value.integer()) {
      return InputValue{std::to_string(*i)};
    }
    if (const auto* d = value.number()) {
      if (const auto whole = whole_number(*d)) {
        return InputValue{std::to_string(*whole)};
      }
    }
    throw CoercionError("ID cannot represent value: " + inspect(value));
  };
  type->parse_literal = [](const Value& literal) -> InputValue {
    if (const auto* string = std::get_if<StringValue>(&literal.kind)) {
      return InputValue{string->value};
    }
    if (const auto* integer = std::get_if<IntValue>(&literal.kind)) {
      return InputValue{integer->text};
    }
    throw CoercionError("ID cannot represent a non-string and non-integer value: " +
                        print(literal));
  };
  return type;
}

}  // namespace

std::vector<std::unique_ptr<TypeDefinition>> make_built_in_scalars() {
  std::vector<std::unique_ptr<TypeDefinition>> scalars;
  scalars.push_back(make_int());
  scalars.push_back(make_float());
  scalars.push_back(make_string());
  scalars.push_back(make_boolean());
  scalars.push_back(make_id());
  return scalars;
}

}  // namespace choreo::graphql
