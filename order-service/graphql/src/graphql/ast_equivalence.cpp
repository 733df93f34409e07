#include "graphql/ast_equivalence.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace choreo::graphql {

namespace {

// One overload per node kind. Members of a class, so the container and variant templates see
// every overload whatever the order of definition.
struct Structure {
  template <typename T>
  static bool same(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  template <typename T>
  static bool same(const std::optional<T>& a, const std::optional<T>& b) {
    if (a.has_value() != b.has_value()) {
      return false;
    }
    return !a || same(*a, *b);
  }

  template <typename... Alternatives>
  static bool same(const std::variant<Alternatives...>& a, const std::variant<Alternatives...>& b) {
    if (a.index() != b.index()) {
      return false;
    }
    return std::visit(
        [&b](const auto& left) {
          using Node = std::decay_t<decltype(left)>;
          return same(left, std::get<Node>(b));
        },
        a);
  }

  static bool same(const std::string& a, const std::string& b) { return a == b; }

  static bool same(const Variable& a, const Variable& b) { return a.name == b.name; }
  static bool same(const IntValue& a, const IntValue& b) { return a.text == b.text; }
  static bool same(const FloatValue& a, const FloatValue& b) { return a.text == b.text; }
  static bool same(const StringValue& a, const StringValue& b) {
    return a.value == b.value && a.block == b.block;
  }
  static bool same(const BooleanValue& a, const BooleanValue& b) { return a.value == b.value; }
  static bool same(const NullValue&, const NullValue&) { return true; }
  static bool same(const EnumValue& a, const EnumValue& b) { return a.name == b.name; }
  static bool same(const ListValue& a, const ListValue& b) { return same(a.values, b.values); }
  static bool same(const ObjectField& a, const ObjectField& b) {
    return a.name == b.name && same(a.value, b.value);
  }
  static bool same(const ObjectValue& a, const ObjectValue& b) { return same(a.fields, b.fields); }
  static bool same(const Value& a, const Value& b) { return same(a.kind, b.kind); }

  static bool same(const NamedType& a, const NamedType& b) { return a.name == b.name; }
  static bool same(const ListType& a, const ListType& b) {
    return same(*a.item_type, *b.item_type);
  }
  static bool same(const NonNullType& a, const NonNullType& b) {
    return same(*a.nullable_type, *b.nullable_type);
  }
  static bool same(const Type& a, const Type& b) { return same(a.kind, b.kind); }

  static bool same(const Argument& a, const Argument& b) {
    return a.name == b.name && same(a.value, b.value);
  }
  static bool same(const Directive& a, const Directive& b) {
    return a.name == b.name && same(a.arguments, b.arguments);
  }
  static bool same(const TypeCondition& a, const TypeCondition& b) { return a.name == b.name; }

  static bool same(const Field& a, const Field& b) {
    return same(a.alias, b.alias) && a.name == b.name && same(a.arguments, b.arguments) &&
           same(a.directives, b.directives) && same(a.selection_set, b.selection_set);
  }
  static bool same(const FragmentSpread& a, const FragmentSpread& b) {
    return a.name == b.name && same(a.directives, b.directives);
  }
  static bool same(const InlineFragment& a, const InlineFragment& b) {
    return same(a.type_condition, b.type_condition) && same(a.directives, b.directives) &&
           same(a.selection_set, b.selection_set);
  }
  static bool same(const SelectionSet& a, const SelectionSet& b) {
    return same(a.selections, b.selections);
  }

  static bool same(const VariableDefinition& a, const VariableDefinition& b) {
    return a.name == b.name && same(a.type, b.type) && same(a.default_value, b.default_value) &&
           same(a.directives, b.directives);
  }
  static bool same(const OperationDefinition& a, const OperationDefinition& b) {
    return a.operation == b.operation && same(a.name, b.name) &&
           same(a.variable_definitions, b.variable_definitions) &&
           same(a.directives, b.directives) && same(a.selection_set, b.selection_set);
  }
  static bool same(const FragmentDefinition& a, const FragmentDefinition& b) {
    return a.name == b.name && same(a.type_condition, b.type_condition) &&
           same(a.directives, b.directives) && same(a.selection_set, b.selection_set);
  }

  static bool same(const type_system::Name& a, const type_system::Name& b) {
    return a.value == b.value;
  }
  static bool same(const type_system::InputValueDefinition& a,
                   const type_system::InputValueDefinition& b) {
    return same(a.description, b.description) && a.name == b.name && same(a.type, b.type) &&
           same(a.default_value, b.default_value) && same(a.directives, b.directives);
  }
  static bool same(const type_system::FieldDefinition& a, const type_system::FieldDefinition& b) {
    return same(a.description, b.description) && a.name == b.name &&
           same(a.arguments, b.arguments) && same(a.type, b.type) &&
           same(a.directives, b.directives);
  }
  static bool same(const type_system::EnumValueDefinition& a,
                   const type_system::EnumValueDefinition& b) {
    return same(a.description, b.description) && a.name == b.name &&
           same(a.directives, b.directives);
  }
  static bool same(const type_system::RootOperationTypeDefinition& a,
                   const type_system::RootOperationTypeDefinition& b) {
    return a.operation == b.operation && same(a.type, b.type);
  }
  static bool same(const type_system::SchemaDefinition& a, const type_system::SchemaDefinition& b) {
    return a.extension == b.extension && same(a.description, b.description) &&
           same(a.directives, b.directives) && same(a.operation_types, b.operation_types);
  }
  static bool same(const type_system::ScalarTypeDefinition& a,
                   const type_system::ScalarTypeDefinition& b) {
    return a.extension == b.extension && same(a.description, b.description) && a.name == b.name &&
           same(a.directives, b.directives);
  }
  static bool same(const type_system::ObjectTypeDefinition& a,
                   const type_system::ObjectTypeDefinition& b) {
    return a.extension == b.extension && same(a.description, b.description) && a.name == b.name &&
           same(a.interfaces, b.interfaces) && same(a.directives, b.directives) &&
           same(a.fields, b.fields);
  }
  static bool same(const type_system::InterfaceTypeDefinition& a,
                   const type_system::InterfaceTypeDefinition& b) {
    return a.extension == b.extension && same(a.description, b.description) && a.name == b.name &&
           same(a.interfaces, b.interfaces) && same(a.directives, b.directives) &&
           same(a.fields, b.fields);
  }
  static bool same(const type_system::UnionTypeDefinition& a,
                   const type_system::UnionTypeDefinition& b) {
    return a.extension == b.extension && same(a.description, b.description) && a.name == b.name &&
           same(a.directives, b.directives) && same(a.members, b.members);
  }
  static bool same(const type_system::EnumTypeDefinition& a,
                   const type_system::EnumTypeDefinition& b) {
    return a.extension == b.extension && same(a.description, b.description) && a.name == b.name &&
           same(a.directives, b.directives) && same(a.values, b.values);
  }
  static bool same(const type_system::InputObjectTypeDefinition& a,
                   const type_system::InputObjectTypeDefinition& b) {
    return a.extension == b.extension && same(a.description, b.description) && a.name == b.name &&
           same(a.directives, b.directives) && same(a.fields, b.fields);
  }
  static bool same(const type_system::DirectiveDefinition& a,
                   const type_system::DirectiveDefinition& b) {
    return same(a.description, b.description) && a.name == b.name &&
           same(a.arguments, b.arguments) && a.repeatable == b.repeatable &&
           same(a.locations, b.locations);
  }
};

}  // namespace

bool equivalent(const Document& a, const Document& b) {
  return Structure::same(a.definitions, b.definitions);
}
bool equivalent(const Value& a, const Value& b) {
  return Structure::same(a, b);
}
bool equivalent(const Type& a, const Type& b) {
  return Structure::same(a, b);
}

}  // namespace choreo::graphql
