#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "graphql/box.hpp"
#include "graphql/source_location.hpp"

// The tree of a GraphQL document: operations and fragments, and the type-system definitions that
// may appear beside them (which validation then rejects). Plain value types:
// copyable, movable, visited with std::visit. Every node records where it starts in the source so
// validation and execution errors can point at it. Names are stored without their sigils ("$id"
// is the variable "id").

namespace choreo::graphql {

// ---- Values ---------------------------------------------------------------------------------

struct Value;
struct ObjectField;

struct Variable {
  std::string name;
};
// Numbers keep their source text: whether "12345678901" fits an Int, or how a Float rounds, is
// decided when the value is coerced to an input type, not here.
struct IntValue {
  std::string text;
};
struct FloatValue {
  std::string text;
};
struct StringValue {
  std::string value;   // decoded: escapes resolved, block-string indentation removed
  bool block = false;  // written as """...""" (kept so printing preserves the author's form)
};
struct BooleanValue {
  bool value = false;
};
struct NullValue {};
struct EnumValue {
  std::string name;  // never true, false or null: those are BooleanValue and NullValue
};
struct ListValue {
  std::vector<Value> values;
};
struct ObjectValue {
  std::vector<ObjectField> fields;  // in source order, duplicates kept (validation reports them)
};

struct Value {
  using Kind = std::variant<Variable, IntValue, FloatValue, StringValue, BooleanValue, NullValue,
                            EnumValue, ListValue, ObjectValue>;
  Kind kind;
  SourceLocation location;
};

struct ObjectField {
  std::string name;
  Value value;
  SourceLocation location;
};

// ---- Types (of variables) -------------------------------------------------------------------

struct Type;

struct NamedType {
  std::string name;
};
struct ListType {
  Box<Type> item_type;
};
struct NonNullType {
  Box<Type> nullable_type;  // a NamedType or a ListType, never another NonNullType
};

struct Type {
  using Kind = std::variant<NamedType, ListType, NonNullType>;
  Kind kind;
  SourceLocation location;
};

// ---- Directives and arguments ---------------------------------------------------------------

struct Argument {
  std::string name;
  Value value;
  SourceLocation location;
};

struct Directive {
  std::string name;
  std::vector<Argument> arguments;
  SourceLocation location;  // of the '@'
};

// ---- Selections -----------------------------------------------------------------------------

struct Field;
struct FragmentSpread;
struct InlineFragment;

using Selection = std::variant<Field, FragmentSpread, InlineFragment>;

struct SelectionSet {
  std::vector<Selection> selections;  // never empty in a parsed document
  SourceLocation location;            // of the '{'
};

// "on Order" in a fragment.
struct TypeCondition {
  std::string name;
  SourceLocation location;
};

struct Field {
  std::optional<std::string> alias;
  std::string name;
  std::vector<Argument> arguments;
  std::vector<Directive> directives;
  std::optional<SelectionSet> selection_set;  // absent on leaf fields
  SourceLocation location;                    // of the alias, or of the name without one

  // The key of this field in the response: the alias if there is one.
  const std::string& response_key() const { return alias ? *alias : name; }
};

struct FragmentSpread {
  std::string name;
  std::vector<Directive> directives;
  SourceLocation location;       // of the '...'
  SourceLocation name_location;  // of the fragment's name (errors about the name point there)
};

struct InlineFragment {
  std::optional<TypeCondition> type_condition;
  std::vector<Directive> directives;
  SelectionSet selection_set;
  SourceLocation location;  // of the '...'
};

// ---- Definitions ----------------------------------------------------------------------------

enum class OperationType { kQuery, kMutation, kSubscription };

// "query", "mutation" or "subscription".
std::string_view operation_type_name(OperationType type);

struct VariableDefinition {
  std::string name;
  Type type;
  std::optional<Value> default_value;  // constant: never contains a Variable
  std::vector<Directive> directives;   // constant arguments only
  SourceLocation location;             // of the '$'
  SourceLocation name_location;        // of the name after the '$'
};

struct OperationDefinition {
  OperationType operation = OperationType::kQuery;
  std::optional<std::string> name;
  std::vector<VariableDefinition> variable_definitions;
  std::vector<Directive> directives;
  SelectionSet selection_set;
  SourceLocation location;       // of the keyword, or of the '{' of a shorthand query
  SourceLocation name_location;  // of the name, when there is one
};

struct FragmentDefinition {
  std::string name;
  TypeCondition type_condition;
  std::vector<Directive> directives;
  SelectionSet selection_set;
  SourceLocation location;       // of the keyword "fragment"
  SourceLocation name_location;  // of the fragment's name
};

// ---- Type-system definitions ----------------------------------------------------------------
//
// The parser accepts the whole grammar so that a request carrying SDL fails validation with the
// spec's "not executable" error rather than a syntax error. Nothing executes these nodes; they
// exist to be validated, printed and compared. Each type definition doubles as its extension
// ("extend type ..."), marked by `extension`, which never has a description.

namespace type_system {

// A reference to a named type, or a directive location, where only a name may appear.
struct Name {
  std::string value;
  SourceLocation location;
};

// An argument of a field or directive, or a field of an input object.
struct InputValueDefinition {
  std::optional<StringValue> description;
  std::string name;
  Type type;
  std::optional<Value> default_value;  // constant
  std::vector<Directive> directives;   // constant arguments only
  SourceLocation location;             // of the description, or of the name without one
};

struct FieldDefinition {
  std::optional<StringValue> description;
  std::string name;
  std::vector<InputValueDefinition> arguments;
  Type type;
  std::vector<Directive> directives;
  SourceLocation location;
};

struct EnumValueDefinition {
  std::optional<StringValue> description;
  std::string name;  // never true, false or null
  std::vector<Directive> directives;
  SourceLocation location;
};

// "query: Query" inside a schema definition.
struct RootOperationTypeDefinition {
  OperationType operation = OperationType::kQuery;
  Name type;
  SourceLocation location;
};

// Every definition below is located at its description, or at its first keyword ("extend",
// "schema", "type", ...) without one.

struct SchemaDefinition {
  std::optional<StringValue> description;
  std::vector<Directive> directives;
  std::vector<RootOperationTypeDefinition> operation_types;
  SourceLocation location;
  bool extension = false;
};

struct ScalarTypeDefinition {
  std::optional<StringValue> description;
  std::string name;
  std::vector<Directive> directives;
  SourceLocation location;
  bool extension = false;
};

struct ObjectTypeDefinition {
  std::optional<StringValue> description;
  std::string name;
  std::vector<Name> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
  SourceLocation location;
  bool extension = false;
};

struct InterfaceTypeDefinition {
  std::optional<StringValue> description;
  std::string name;
  std::vector<Name> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
  SourceLocation location;
  bool extension = false;
};

struct UnionTypeDefinition {
  std::optional<StringValue> description;
  std::string name;
  std::vector<Directive> directives;
  std::vector<Name> members;
  SourceLocation location;
  bool extension = false;
};

struct EnumTypeDefinition {
  std::optional<StringValue> description;
  std::string name;
  std::vector<Directive> directives;
  std::vector<EnumValueDefinition> values;
  SourceLocation location;
  bool extension = false;
};

struct InputObjectTypeDefinition {
  std::optional<StringValue> description;
  std::string name;
  std::vector<Directive> directives;
  std::vector<InputValueDefinition> fields;
  SourceLocation location;
  bool extension = false;
};

struct DirectiveDefinition {
  std::optional<StringValue> description;
  std::string name;
  std::vector<InputValueDefinition> arguments;
  bool repeatable = false;
  std::vector<Name> locations;  // "FIELD", "QUERY", ...: only the spec's names parse
  SourceLocation location;
};

}  // namespace type_system

using Definition =
    std::variant<OperationDefinition, FragmentDefinition, type_system::SchemaDefinition,
                 type_system::ScalarTypeDefinition, type_system::ObjectTypeDefinition,
                 type_system::InterfaceTypeDefinition, type_system::UnionTypeDefinition,
                 type_system::EnumTypeDefinition, type_system::InputObjectTypeDefinition,
                 type_system::DirectiveDefinition>;

inline bool is_executable(const Definition& definition) {
  return std::holds_alternative<OperationDefinition>(definition) ||
         std::holds_alternative<FragmentDefinition>(definition);
}

struct Document {
  std::vector<Definition> definitions;  // never empty in a parsed document
};

inline std::string_view operation_type_name(OperationType type) {
  switch (type) {
    case OperationType::kQuery:
      return "query";
    case OperationType::kMutation:
      return "mutation";
    case OperationType::kSubscription:
      return "subscription";
  }
  return "query";
}

}  // namespace choreo::graphql
