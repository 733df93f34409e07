#include "graphql/input_coercion.hpp"

#include <algorithm>
#include <utility>

#include "graphql/inspect.hpp"
#include "graphql/printer.hpp"

namespace choreo::graphql {

namespace {

constexpr std::size_t kMaxIssues = 50;

// A variable's value written back as a literal, so a custom scalar's parse_literal sees a
// variable-free tree even when a variable sits inside a list or object literal.
Value to_literal(const InputValue& value, SourceLocation location) {
  Value literal;
  literal.location = location;
  if (value.is_null()) {
    literal.kind = NullValue{};
  } else if (const bool* b = value.boolean()) {
    literal.kind = BooleanValue{*b};
  } else if (const std::int64_t* i = value.integer()) {
    literal.kind = IntValue{std::to_string(*i)};
  } else if (const double* d = value.number()) {
    literal.kind = FloatValue{format_double(*d)};
  } else if (const std::string* s = value.string()) {
    literal.kind = StringValue{*s, false};
  } else if (const InputList* list = value.list()) {
    ListValue items;
    for (const InputValue& item : list->items) {
      items.values.push_back(to_literal(item, location));
    }
    literal.kind = std::move(items);
  } else {
    ObjectValue object;
    for (const InputField& field : value.object()->fields) {
      object.fields.push_back(ObjectField{field.name, to_literal(field.value, location), location});
    }
    literal.kind = std::move(object);
  }
  return literal;
}

bool contains_variable(const Value& literal) {
  if (std::holds_alternative<Variable>(literal.kind)) {
    return true;
  }
  if (const auto* list = std::get_if<ListValue>(&literal.kind)) {
    for (const Value& item : list->values) {
      if (contains_variable(item)) {
        return true;
      }
    }
  }
  if (const auto* object = std::get_if<ObjectValue>(&literal.kind)) {
    for (const ObjectField& field : object->fields) {
      if (contains_variable(field.value)) {
        return true;
      }
    }
  }
  return false;
}

// Replaces variables by their values; an absent variable becomes null, as in a list.
Value substitute_variables(const Value& literal, const InputObject& variables) {
  if (const auto* variable = std::get_if<Variable>(&literal.kind)) {
    const InputValue* value = variables.find(variable->name);
    return to_literal(value != nullptr ? *value : InputValue{}, literal.location);
  }
  Value copy = literal;
  if (auto* list = std::get_if<ListValue>(&copy.kind)) {
    for (Value& item : list->values) {
      item = substitute_variables(item, variables);
    }
  } else if (auto* object = std::get_if<ObjectValue>(&copy.kind)) {
    for (ObjectField& field : object->fields) {
      field.value = substitute_variables(field.value, variables);
    }
  }
  return copy;
}

class LiteralCoercer {
 public:
  LiteralCoercer(const LiteralScope& scope, std::vector<CoercionIssue>& issues,
                 std::vector<PathSegment>& path)
      : scope_(scope), issues_(issues), path_(path) {}

  std::optional<InputValue> coerce(const Value& literal, const TypeRef& type) {
    if (const auto* variable = std::get_if<Variable>(&literal.kind)) {
      if (scope_.variables == nullptr) {
        return InputValue{};
      }
      const InputValue* value = scope_.variables->find(variable->name);
      if (value == nullptr) {
        return std::nullopt;
      }
      if (type.non_null() && value->is_null()) {
        report(literal, "Expected value of type \"" + type.sdl() + "\", found null.",
               "Expected non-nullable type \"" + type.sdl() + "\" not to be null.", "null");
      }
      // Validation made sure the variable's type fits here, and it was coerced to that type.
      return *value;
    }
    if (type.non_null()) {
      if (std::holds_alternative<NullValue>(literal.kind)) {
        report(literal, "Expected value of type \"" + type.sdl() + "\", found null.",
               "Expected non-nullable type \"" + type.sdl() + "\" not to be null.", "null");
        return InputValue{};
      }
      return coerce_nullable(literal, *type.of, type);
    }
    if (std::holds_alternative<NullValue>(literal.kind)) {
      return InputValue{};
    }
    return coerce_nullable(literal, type, type);
  }

 private:
  // `type` is nullable and `literal` neither null nor a variable; `location_type` is the type as
  // declared at this position (with its "!"), for messages.
  std::optional<InputValue> coerce_nullable(const Value& literal, const TypeRef& type,
                                            const TypeRef& location_type) {
    if (type.list()) {
      return coerce_list(literal, *type.of);
    }
    const TypeDefinition& named = *type.named;
    switch (named.kind) {
      case TypeKind::kInputObject:
        return coerce_object(literal, named, location_type);
      case TypeKind::kEnum:
        return coerce_enum(literal, named);
      case TypeKind::kScalar:
        return coerce_scalar(literal, named, location_type);
      case TypeKind::kObject:
        break;
    }
    report(literal,
           "Expected value of type \"" + location_type.sdl() + "\", found " + print(literal) + ".",
           "Expected type \"" + location_type.sdl() + "\".", print(literal));
    return InputValue{};
  }

  std::optional<InputValue> coerce_list(const Value& literal, const TypeRef& item_type) {
    const auto* list = std::get_if<ListValue>(&literal.kind);
    if (list == nullptr) {
      // A single value where a list is expected is a list of one (§3.1.7 input coercion).
      std::optional<InputValue> item = coerce(literal, item_type);
      if (!item) {
        return std::nullopt;
      }
      InputList single;
      single.items.push_back(std::move(*item));
      return InputValue{std::move(single)};
    }
    InputList items;
    for (std::size_t i = 0; i < list->values.size(); ++i) {
      path_.emplace_back(i);
      std::optional<InputValue> item = coerce(list->values[i], item_type);
      if (!item) {
        item = InputValue{};
        if (item_type.non_null()) {
          report(list->values[i], "Expected value of type \"" + item_type.sdl() + "\", found null.",
                 "Expected non-nullable type \"" + item_type.sdl() + "\" not to be null.", "null");
        }
      }
      items.items.push_back(std::move(*item));
      path_.pop_back();
    }
    return InputValue{std::move(items)};
  }

  std::optional<InputValue> coerce_object(const Value& literal, const TypeDefinition& type,
                                          const TypeRef& location_type) {
    const auto* object = std::get_if<ObjectValue>(&literal.kind);
    if (object == nullptr) {
      report(
          literal,
          "Expected value of type \"" + location_type.sdl() + "\", found " + print(literal) + ".",
          "Expected type \"" + type.name + "\" to be an object.", print(literal));
      return InputValue{};
    }
    for (const InputValueDefinition& definition : type.input_fields) {
      const bool given =
          std::any_of(object->fields.begin(), object->fields.end(),
                      [&](const ObjectField& f) { return f.name == definition.name; });
      if (!given && !definition.default_value && definition.type.non_null()) {
        report_missing(literal, type, definition);
      }
    }
    for (std::size_t i = 0; i < object->fields.size(); ++i) {
      const ObjectField& field = object->fields[i];
      if (type.find_input_field(field.name) == nullptr) {
        report_at(field.location,
                  "Field \"" + field.name + "\" is not defined by type \"" + type.name + "\".",
                  print(literal));
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (object->fields[j].name == field.name) {
          report_at(field.location,
                    "There can be only one input field named \"" + field.name + "\".",
                    print(literal));
          break;
        }
      }
    }
    InputObject coerced;
    for (const InputValueDefinition& definition : type.input_fields) {
      const ObjectField* given = nullptr;
      for (const ObjectField& field : object->fields) {
        if (field.name == definition.name) {
          given = &field;
          break;
        }
      }
      std::optional<InputValue> value;
      if (given != nullptr) {
        path_.emplace_back(definition.name);
        value = coerce(given->value, definition.type);
        path_.pop_back();
      }
      if (!value) {
        if (definition.default_value) {
          value = definition.default_value;
        } else if (definition.type.non_null()) {
          if (given != nullptr) {  // an absent variable; a missing field was reported above
            report_missing(literal, type, definition);
          }
          continue;
        } else {
          continue;
        }
      }
      coerced.fields.push_back(InputField{definition.name, std::move(*value)});
    }
    return InputValue{std::move(coerced)};
  }

  void report_missing(const Value& literal, const TypeDefinition& type,
                      const InputValueDefinition& definition) {
    report_at(literal.location,
              "Field \"" + type.name + "." + definition.name + "\" of required type \"" +
                  definition.type.sdl() + "\" was not provided.",
              print(literal));
  }

  std::optional<InputValue> coerce_enum(const Value& literal, const TypeDefinition& type) {
    const auto* enum_value = std::get_if<EnumValue>(&literal.kind);
    if (enum_value == nullptr) {
      report_at(
          literal.location,
          "Enum \"" + type.name + "\" cannot represent non-enum value: " + print(literal) + ".",
          print(literal));
      return InputValue{};
    }
    if (type.find_enum_value(enum_value->name) == nullptr) {
      report_at(literal.location,
                "Value \"" + enum_value->name + "\" does not exist in \"" + type.name + "\" enum.",
                print(literal));
      return InputValue{};
    }
    return InputValue{enum_value->name};
  }

  std::optional<InputValue> coerce_scalar(const Value& literal, const TypeDefinition& type,
                                          const TypeRef& location_type) {
    if (!type.built_in && !scope_.run_custom_scalars) {
      return InputValue{};
    }
    try {
      if (scope_.variables != nullptr && contains_variable(literal)) {
        return type.parse_literal(substitute_variables(literal, *scope_.variables));
      }
      return type.parse_literal(literal);
    } catch (const CoercionError& error) {
      if (type.built_in) {
        report_at(literal.location, error.what(), print(literal));
      } else {
        CoercionIssue& issue =
            report(literal,
                   "Expected value of type \"" + location_type.sdl() + "\", found " +
                       print(literal) + "; " + error.what(),
                   "Expected type \"" + type.name + "\". " + error.what(), print(literal));
        issue.from_custom_scalar = true;
      }
    }
    return InputValue{};
  }

  CoercionIssue& report(const Value& literal, std::string message, std::string detail,
                        std::string value_text) {
    issues_.push_back(CoercionIssue{std::move(message), std::move(detail), std::move(value_text),
                                    path_, literal.location, false});
    return issues_.back();
  }

  void report_at(SourceLocation location, const std::string& message, std::string value_text) {
    issues_.push_back(
        CoercionIssue{message, message, std::move(value_text), path_, location, false});
  }

  const LiteralScope& scope_;
  std::vector<CoercionIssue>& issues_;
  std::vector<PathSegment>& path_;
};

class VariableCoercer {
 public:
  VariableCoercer(std::vector<CoercionIssue>& issues, std::vector<PathSegment>& path)
      : issues_(issues), path_(path) {}

  InputValue coerce(const InputValue& value, const TypeRef& type) {
    if (type.non_null()) {
      if (value.is_null()) {
        report(value, "Expected non-nullable type \"" + type.sdl() + "\" not to be null.");
        return value;
      }
      return coerce(value, *type.of);
    }
    if (value.is_null()) {
      return value;
    }
    if (type.list()) {
      const TypeRef& item_type = *type.of;
      const InputList* list = value.list();
      if (list == nullptr) {
        InputList single;
        single.items.push_back(coerce(value, item_type));
        return InputValue{std::move(single)};
      }
      InputList items;
      for (std::size_t i = 0; i < list->items.size() && issues_.size() < kMaxIssues; ++i) {
        path_.emplace_back(i);
        items.items.push_back(coerce(list->items[i], item_type));
        path_.pop_back();
      }
      return InputValue{std::move(items)};
    }
    const TypeDefinition& named = *type.named;
    switch (named.kind) {
      case TypeKind::kInputObject:
        return coerce_object(value, named);
      case TypeKind::kEnum:
        return coerce_enum(value, named);
      case TypeKind::kScalar:
        return coerce_scalar(value, named);
      case TypeKind::kObject:
        break;
    }
    report(value, "Expected type \"" + named.name + "\".");
    return value;
  }

 private:
  InputValue coerce_object(const InputValue& value, const TypeDefinition& type) {
    const InputObject* object = value.object();
    if (object == nullptr) {
      report(value, "Expected type \"" + type.name + "\" to be an object.");
      return value;
    }
    InputObject coerced;
    for (const InputValueDefinition& definition : type.input_fields) {
      const InputValue* given = object->find(definition.name);
      if (given == nullptr) {
        if (definition.default_value) {
          coerced.fields.push_back(InputField{definition.name, *definition.default_value});
        } else if (definition.type.non_null()) {
          report(value, "Field \"" + definition.name + "\" of required type \"" +
                            definition.type.sdl() + "\" was not provided.");
        }
        continue;
      }
      path_.emplace_back(definition.name);
      coerced.fields.push_back(InputField{definition.name, coerce(*given, definition.type)});
      path_.pop_back();
    }
    for (const InputField& field : object->fields) {
      if (type.find_input_field(field.name) == nullptr) {
        report(value, "Field \"" + field.name + "\" is not defined by type \"" + type.name + "\".");
      }
    }
    return InputValue{std::move(coerced)};
  }

  InputValue coerce_enum(const InputValue& value, const TypeDefinition& type) {
    const std::string* name = value.string();
    if (name == nullptr) {
      report(value, "Enum \"" + type.name +
                        "\" cannot represent non-string value: " + inspect(value) + ".");
      return value;
    }
    if (type.find_enum_value(*name) == nullptr) {
      report(value, "Value \"" + *name + "\" does not exist in \"" + type.name + "\" enum.");
    }
    return value;
  }

  InputValue coerce_scalar(const InputValue& value, const TypeDefinition& type) {
    try {
      return type.parse_value(value);
    } catch (const CoercionError& error) {
      if (type.built_in) {
        report(value, error.what());
      } else {
        report(value, "Expected type \"" + type.name + "\". " + error.what());
        issues_.back().from_custom_scalar = true;
      }
    }
    return value;
  }

  void report(const InputValue& value, const std::string& message) {
    if (issues_.size() < kMaxIssues) {
      issues_.push_back(CoercionIssue{message, message, inspect(value), path_, {}, false});
    }
  }

  std::vector<CoercionIssue>& issues_;
  std::vector<PathSegment>& path_;
};

}  // namespace

std::optional<InputValue> coerce_literal(const Value& literal, const TypeRef& type,
                                         const LiteralScope& scope,
                                         std::vector<CoercionIssue>& issues,
                                         std::vector<PathSegment>& path) {
  return LiteralCoercer(scope, issues, path).coerce(literal, type);
}

InputValue coerce_variable_value(const InputValue& value, const TypeRef& type,
                                 std::vector<CoercionIssue>& issues,
                                 std::vector<PathSegment>& path) {
  return VariableCoercer(issues, path).coerce(value, type);
}

std::string describe_value_path(const std::string& root, const std::vector<PathSegment>& path) {
  std::string out = root;
  for (const PathSegment& segment : path) {
    if (const auto* key = std::get_if<std::string>(&segment)) {
      out += "." + *key;
    } else {
      out += "[" + std::to_string(std::get<std::size_t>(segment)) + "]";
    }
  }
  return out;
}

}  // namespace choreo::graphql
