#pragma once

#include <any>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/errors.hpp"
#include "graphql/values.hpp"

// A schema built in code. Types are referred to by their SDL spelling ("[OrderItem!]!"), and
// build() checks that every reference resolves, so a typo stops the service at start-up instead
// of failing a request. The result is immutable and safe to share between threads.

namespace choreo::graphql {

class Resolved;
struct FieldContext;

using FieldResolver = std::function<Resolved(const FieldContext&)>;

struct ArgumentDefinition {
  std::string name{};
  std::string type{};                          // SDL, e.g. "Int", "ID!", "CreateOrderInput!"
  std::optional<std::string> default_value{};  // a constant GraphQL literal, e.g. "20"
  std::string description{};
};

struct FieldDefinition {
  std::string name{};
  std::string type{};  // SDL, e.g. "[Order!]!"
  std::vector<ArgumentDefinition> arguments{};
  // Required on every field of every object type; build() says which one lacks it.
  FieldResolver resolve{};
  std::string description{};
  std::optional<std::string> deprecation_reason{};
};

struct InputFieldDefinition {
  std::string name{};
  std::string type{};
  std::optional<std::string> default_value{};  // a constant GraphQL literal
  std::string description{};
};

struct EnumValueDefinition {
  std::string name{};
  std::string description{};
  std::optional<std::string> deprecation_reason{};
};

// A custom scalar. Each function throws CoercionError with a short reason ("Expected a decimal
// string such as \"49.99\"") when the value is not one of the scalar's.
struct ScalarDefinition {
  std::string name{};
  std::string description{};
  // Result coercion: what a resolver produced -> what the response carries.
  std::function<ResultValue(const ResultValue&)> serialize{};
  // Input coercion of a variable's value (already decoded from JSON).
  std::function<InputValue(const InputValue&)> parse_value{};
  // Input coercion of a literal written in the document (never a Variable: the engine resolves
  // those first). Int and Float literals keep their source text, so exact decimals survive.
  std::function<InputValue(const Value&)> parse_literal{};
  // Where the scalar's format is specified (introspection's specifiedByURL, SDL's @specifiedBy).
  std::optional<std::string> specified_by_url{};
};

class SchemaBuilder;

// Lookup structures live behind Impl so the executor, the validator and (later) introspection
// can each keep what they need without this header growing with them.
class Schema {
 public:
  struct Impl;

  explicit Schema(std::shared_ptr<const Impl> impl);
  const Impl& impl() const { return *impl_; }

  // The SDL of the schema (types in definition order), for docs and tests.
  std::string print() const;

 private:
  std::shared_ptr<const Impl> impl_;
};

class SchemaBuilder {
 public:
  SchemaBuilder();
  ~SchemaBuilder();
  SchemaBuilder(SchemaBuilder&&) noexcept;
  SchemaBuilder& operator=(SchemaBuilder&&) noexcept;

  // Int, Float, String, Boolean and ID are built in (with the spec's coercion rules), as are the
  // directives @include, @skip, @deprecated and @specifiedBy, and introspection (__schema,
  // __type and the types they return).
  SchemaBuilder& scalar(ScalarDefinition definition);
  SchemaBuilder& object(std::string name, std::vector<FieldDefinition> fields,
                        std::string description = {});
  SchemaBuilder& input_object(std::string name, std::vector<InputFieldDefinition> fields,
                              std::string description = {});
  SchemaBuilder& enumeration(std::string name, std::vector<EnumValueDefinition> values,
                             std::string description = {});

  // The root operation types, by name. A query type is required.
  SchemaBuilder& query(std::string type_name);
  SchemaBuilder& mutation(std::string type_name);
  SchemaBuilder& subscription(std::string type_name);

  // Throws SchemaError naming the first problem found.
  Schema build() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// What a field's resolver returns; the field's type decides which kind is expected.
class Resolved {
 public:
  // null: allowed only where the type is nullable (otherwise it is a field error).
  Resolved() = default;
  // A scalar or enum field's value, before the type's serialize() runs.
  Resolved(ResultValue leaf);
  // An object field: the fields below resolve against `source`.
  static Resolved object(std::any source);
  // A list field: one entry per item.
  static Resolved list(std::vector<Resolved> items);

  enum class Kind { kNull, kLeaf, kObject, kList };
  Kind kind() const { return kind_; }
  const ResultValue& leaf() const { return leaf_; }
  const std::any& source() const { return source_; }
  const std::vector<Resolved>& items() const { return items_; }

 private:
  Kind kind_ = Kind::kNull;
  ResultValue leaf_;
  std::any source_;
  std::vector<Resolved> items_;
};

// Arguments of one field, coerced to their declared types, with defaults applied. An argument
// that is neither given nor defaulted is absent (find() returns nullptr); one given as null is
// present and null.
class ArgumentValues {
 public:
  ArgumentValues() = default;
  explicit ArgumentValues(InputObject values) : values_(std::move(values)) {}

  const InputValue* find(std::string_view name) const { return values_.find(name); }
  const InputObject& all() const { return values_; }

 private:
  InputObject values_;
};

// Everything a resolver may look at.
struct FieldContext {
  // What the parent field resolved to; for a root field, ExecutionOptions::root_value.
  const std::any& source;
  const ArgumentValues& arguments;
  // Per request, owned by the caller of execute() (the database scope and the user, say).
  std::any& request_context;
  // The field's name in the schema and where it sits in the response.
  std::string_view field_name;
  const std::vector<PathSegment>& path;

  template <typename T>
  const T& source_as() const {
    return std::any_cast<const T&>(source);
  }
  template <typename T>
  T& context_as() const {
    return std::any_cast<T&>(request_context);
  }
};

}  // namespace choreo::graphql
