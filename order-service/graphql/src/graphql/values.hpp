#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

// The two value trees the engine exchanges with its callers, free of any JSON library so the
// engine stays dependency-free: InputValue comes in (request variables, coerced arguments) and
// ResultValue goes out (resolved data, serialized by write_json).

namespace choreo::graphql {

// ---- Input ---------------------------------------------------------------------------------

struct InputValue;
struct InputField;

struct InputList {
  std::vector<InputValue> items;
};

// Fields in the order they were given; names are unique once coerced.
struct InputObject {
  std::vector<InputField> fields;

  // The field's value, or nullptr when absent.
  const InputValue* find(std::string_view name) const;
};

// A value as a client sent it (a request's variables) or as the engine coerced it (arguments,
// with defaults applied). Enum values are their names as strings; ID is a string.
struct InputValue {
  using Kind =
      std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, InputList, InputObject>;
  // Default-constructed, the variant holds nullptr (its first alternative). No in-class
  // initializer: clang would check the alternatives before InputField is complete.
  Kind kind;

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(kind); }
  // The alternative, or nullptr when the value holds another one.
  const std::string* string() const { return std::get_if<std::string>(&kind); }
  const std::int64_t* integer() const { return std::get_if<std::int64_t>(&kind); }
  const bool* boolean() const { return std::get_if<bool>(&kind); }
  const double* number() const { return std::get_if<double>(&kind); }
  const InputList* list() const { return std::get_if<InputList>(&kind); }
  const InputObject* object() const { return std::get_if<InputObject>(&kind); }
};

struct InputField {
  std::string name;
  InputValue value;
};

// ---- Output --------------------------------------------------------------------------------

// JSON text from a trusted producer (a jsonb column, say), written into the response verbatim.
// The producer guarantees it is one well-formed JSON value.
struct RawJson {
  std::string text;
};

struct ResultValue;
struct ResultField;

struct ResultList {
  std::vector<ResultValue> items;
};

// Fields in response order (the order of the selection set), as the spec requires.
struct ResultObject {
  std::vector<ResultField> fields;
};

struct ResultValue {
  using Kind = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, RawJson,
                            ResultList, ResultObject>;
  Kind kind;

  // Implicit on purpose, so a resolver can return `ResultValue(42)` or `"text"`. Defined below,
  // once ResultField is complete: clang checks the variant's alternatives where the
  // constructors are defined.
  ResultValue();
  ResultValue(std::nullptr_t);
  ResultValue(bool value);
  ResultValue(std::int64_t value);
  ResultValue(int value);
  ResultValue(double value);
  ResultValue(std::string value);
  ResultValue(const char* value);
  ResultValue(RawJson value);
  ResultValue(ResultList value);
  ResultValue(ResultObject value);

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(kind); }
};

struct ResultField {
  std::string name;
  ResultValue value;
};

inline ResultValue::ResultValue() = default;
inline ResultValue::ResultValue(std::nullptr_t) {}
inline ResultValue::ResultValue(bool value) : kind(value) {}
inline ResultValue::ResultValue(std::int64_t value) : kind(value) {}
inline ResultValue::ResultValue(int value) : kind(std::int64_t{value}) {}
inline ResultValue::ResultValue(double value) : kind(value) {}
inline ResultValue::ResultValue(std::string value) : kind(std::move(value)) {}
inline ResultValue::ResultValue(const char* value) : kind(std::string(value)) {}
inline ResultValue::ResultValue(RawJson value) : kind(std::move(value)) {}
inline ResultValue::ResultValue(ResultList value) : kind(std::move(value)) {}
inline ResultValue::ResultValue(ResultObject value) : kind(std::move(value)) {}

// Appends the value as compact JSON (strings escaped per RFC 8259; doubles that are not finite
// are written as null, since JSON has no spelling for them).
void write_json(const ResultValue& value, std::string& out);
// Appends `text` as a JSON string literal, quotes included.
void write_json_string(std::string_view text, std::string& out);

}  // namespace choreo::graphql
