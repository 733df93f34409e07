#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/schema.hpp"
#include "graphql/values.hpp"

// The checked, cross-linked form of a schema that validation and execution (and, later,
// introspection) read. Built once by SchemaBuilder::build(); immutable afterwards, so every
// pointer below stays valid for the Schema's lifetime.

namespace choreo::graphql {

struct TypeDefinition;

enum class TypeKind { kScalar, kObject, kInputObject, kEnum };

// A type reference with its wrappers, e.g. [Order!]!: NonNull -> List -> NonNull -> Order.
struct TypeRef {
  enum class Kind { kNamed, kList, kNonNull };
  Kind kind = Kind::kNamed;
  const TypeDefinition* named = nullptr;  // kNamed only
  std::shared_ptr<const TypeRef> of;      // kList and kNonNull only

  bool non_null() const { return kind == Kind::kNonNull; }
  bool list() const { return kind == Kind::kList; }
  // The type without its outer non-null wrapper (itself when nullable).
  const TypeRef& nullable() const { return non_null() ? *of : *this; }
  // The named type at the core.
  const TypeDefinition& base() const;
  // SDL spelling, as messages show it: "[Order!]!".
  std::string sdl() const;
};

bool is_input_type(const TypeRef& type);
bool is_output_type(const TypeRef& type);

// An argument or an input object field.
struct InputValueDefinition {
  std::string name;
  TypeRef type;
  std::optional<std::string> default_literal;  // as declared, for printing and introspection
  std::optional<InputValue> default_value;     // coerced at build time
  std::string description;
};

struct OutputFieldDefinition {
  std::string name;
  TypeRef type;
  std::vector<InputValueDefinition> arguments;
  FieldResolver resolve;
  std::string description;
  std::optional<std::string> deprecation_reason;

  const InputValueDefinition* find_argument(std::string_view argument_name) const;
};

// One entry of the type registry. Which members apply depends on kind.
struct TypeDefinition {
  TypeKind kind = TypeKind::kScalar;
  std::string name;
  std::string description;
  bool built_in = false;

  // kScalar. Built-in scalars report their own messages (as graphql-js does); a custom scalar's
  // CoercionError is prefixed with what was expected.
  std::function<ResultValue(const ResultValue&)> serialize;
  std::function<InputValue(const InputValue&)> parse_value;
  std::function<InputValue(const Value&)> parse_literal;

  std::vector<OutputFieldDefinition> fields;       // kObject, in definition order
  std::vector<InputValueDefinition> input_fields;  // kInputObject, in definition order
  std::vector<EnumValueDefinition> enum_values;    // kEnum, in definition order
  std::optional<std::string> specified_by_url;     // kScalar: where its format is specified

  bool is_leaf() const { return kind == TypeKind::kScalar || kind == TypeKind::kEnum; }
  bool is_composite() const { return kind == TypeKind::kObject; }
  const OutputFieldDefinition* find_field(std::string_view field_name) const;
  const InputValueDefinition* find_input_field(std::string_view field_name) const;
  const EnumValueDefinition* find_enum_value(std::string_view value_name) const;
};

enum class DirectiveLocation {
  kQuery,
  kMutation,
  kSubscription,
  kField,
  kFragmentDefinition,
  kFragmentSpread,
  kInlineFragment,
  kVariableDefinition,
  kFieldDefinition,
  kEnumValue,
  kArgumentDefinition,
  kInputFieldDefinition,
  kSchema,
  kScalar,
  kObject,
  kInterface,
  kUnion,
  kEnum,
  kInputObject,
};

// "QUERY", "FIELD", ...: the spelling in SDL and in messages.
std::string_view directive_location_name(DirectiveLocation location);

struct DirectiveDefinition {
  std::string name;
  std::string description;
  std::vector<InputValueDefinition> arguments;
  std::vector<DirectiveLocation> locations;
  bool built_in = false;
  bool repeatable = false;

  const InputValueDefinition* find_argument(std::string_view argument_name) const;
  bool allowed_at(DirectiveLocation location) const;
};

struct Schema::Impl {
  // Built-in scalars first, then the user's types in definition order.
  std::vector<std::unique_ptr<TypeDefinition>> types;
  std::map<std::string, const TypeDefinition*, std::less<>> types_by_name;
  std::vector<DirectiveDefinition> directives;

  const TypeDefinition* query = nullptr;
  const TypeDefinition* mutation = nullptr;
  const TypeDefinition* subscription = nullptr;

  // __schema and __type: fields of the query type that its own field list does not show.
  std::vector<OutputFieldDefinition> introspection_fields;
  // What __schema.types lists, and what __type(name:) finds: every type but the built-in
  // scalars nothing refers to (as the reference implementation does).
  std::vector<const TypeDefinition*> listed_types;

  const TypeDefinition* find_type(std::string_view name) const;
  // A field of `parent`, the introspection root fields included when `parent` is the query type.
  // (__typename, which every composite type has, is left to the caller.)
  const OutputFieldDefinition* find_field(const TypeDefinition& parent,
                                          std::string_view field_name) const;
  const DirectiveDefinition* find_directive(std::string_view name) const;
  const TypeDefinition* root_type(OperationType operation) const;
  // The schema's form of a variable's declared type, or nullopt when it names an unknown type.
  std::optional<TypeRef> resolve(const Type& type) const;
};

}  // namespace choreo::graphql
