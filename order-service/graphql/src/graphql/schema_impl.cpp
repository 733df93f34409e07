#include "graphql/schema_impl.hpp"

namespace choreo::graphql {

const TypeDefinition& TypeRef::base() const {
  const TypeRef* type = this;
  while (type->kind != Kind::kNamed) {
    type = type->of.get();
  }
  return *type->named;
}

std::string TypeRef::sdl() const {
  switch (kind) {
    case Kind::kNamed:
      return named->name;
    case Kind::kList:
      return "[" + of->sdl() + "]";
    case Kind::kNonNull:
      return of->sdl() + "!";
  }
  return {};
}

bool is_input_type(const TypeRef& type) {
  const TypeKind kind = type.base().kind;
  return kind == TypeKind::kScalar || kind == TypeKind::kEnum || kind == TypeKind::kInputObject;
}

bool is_output_type(const TypeRef& type) {
  return type.base().kind != TypeKind::kInputObject;
}

const InputValueDefinition* OutputFieldDefinition::find_argument(
    std::string_view argument_name) const {
  for (const InputValueDefinition& argument : arguments) {
    if (argument.name == argument_name) {
      return &argument;
    }
  }
  return nullptr;
}

const OutputFieldDefinition* TypeDefinition::find_field(std::string_view field_name) const {
  for (const OutputFieldDefinition& field : fields) {
    if (field.name == field_name) {
      return &field;
    }
  }
  return nullptr;
}

const InputValueDefinition* TypeDefinition::find_input_field(std::string_view field_name) const {
  for (const InputValueDefinition& field : input_fields) {
    if (field.name == field_name) {
      return &field;
    }
  }
  return nullptr;
}

const EnumValueDefinition* TypeDefinition::find_enum_value(std::string_view value_name) const {
  for (const EnumValueDefinition& value : enum_values) {
    if (value.name == value_name) {
      return &value;
    }
  }
  return nullptr;
}

std::string_view directive_location_name(DirectiveLocation location) {
  switch (location) {
    case DirectiveLocation::kQuery:
      return "QUERY";
    case DirectiveLocation::kMutation:
      return "MUTATION";
    case DirectiveLocation::kSubscription:
      return "SUBSCRIPTION";
    case DirectiveLocation::kField:
      return "FIELD";
    case DirectiveLocation::kFragmentDefinition:
      return "FRAGMENT_DEFINITION";
    case DirectiveLocation::kFragmentSpread:
      return "FRAGMENT_SPREAD";
    case DirectiveLocation::kInlineFragment:
      return "INLINE_FRAGMENT";
    case DirectiveLocation::kVariableDefinition:
      return "VARIABLE_DEFINITION";
    case DirectiveLocation::kFieldDefinition:
      return "FIELD_DEFINITION";
    case DirectiveLocation::kEnumValue:
      return "ENUM_VALUE";
    case DirectiveLocation::kArgumentDefinition:
      return "ARGUMENT_DEFINITION";
    case DirectiveLocation::kInputFieldDefinition:
      return "INPUT_FIELD_DEFINITION";
    case DirectiveLocation::kSchema:
      return "SCHEMA";
    case DirectiveLocation::kScalar:
      return "SCALAR";
    case DirectiveLocation::kObject:
      return "OBJECT";
    case DirectiveLocation::kInterface:
      return "INTERFACE";
    case DirectiveLocation::kUnion:
      return "UNION";
    case DirectiveLocation::kEnum:
      return "ENUM";
    case DirectiveLocation::kInputObject:
      return "INPUT_OBJECT";
  }
  return "";
}

const InputValueDefinition* DirectiveDefinition::find_argument(
    std::string_view argument_name) const {
  for (const InputValueDefinition& argument : arguments) {
    if (argument.name == argument_name) {
      return &argument;
    }
  }
  return nullptr;
}

bool DirectiveDefinition::allowed_at(DirectiveLocation location) const {
  for (const DirectiveLocation allowed : locations) {
    if (allowed == location) {
      return true;
    }
  }
  return false;
}

const TypeDefinition* Schema::Impl::find_type(std::string_view name) const {
  const auto it = types_by_name.find(name);
  return it == types_by_name.end() ? nullptr : it->second;
}

const OutputFieldDefinition* Schema::Impl::find_field(const TypeDefinition& parent,
                                                      std::string_view field_name) const {
  if (const OutputFieldDefinition* field = parent.find_field(field_name)) {
    return field;
  }
  if (&parent == query) {
    for (const OutputFieldDefinition& field : introspection_fields) {
      if (field.name == field_name) {
        return &field;
      }
    }
  }
  return nullptr;
}

const DirectiveDefinition* Schema::Impl::find_directive(std::string_view name) const {
  for (const DirectiveDefinition& directive : directives) {
    if (directive.name == name) {
      return &directive;
    }
  }
  return nullptr;
}

const TypeDefinition* Schema::Impl::root_type(OperationType operation) const {
  switch (operation) {
    case OperationType::kQuery:
      return query;
    case OperationType::kMutation:
      return mutation;
    case OperationType::kSubscription:
      return subscription;
  }
  return nullptr;
}

std::optional<TypeRef> Schema::Impl::resolve(const Type& type) const {
  if (const auto* named = std::get_if<NamedType>(&type.kind)) {
    const TypeDefinition* definition = find_type(named->name);
    if (definition == nullptr) {
      return std::nullopt;
    }
    return TypeRef{TypeRef::Kind::kNamed, definition, nullptr};
  }
  const bool is_list = std::holds_alternative<ListType>(type.kind);
  const Type& inner = is_list ? *std::get<ListType>(type.kind).item_type
                              : *std::get<NonNullType>(type.kind).nullable_type;
  std::optional<TypeRef> resolved_inner = resolve(inner);
  if (!resolved_inner) {
    return std::nullopt;
  }
  return TypeRef{is_list ? TypeRef::Kind::kList : TypeRef::Kind::kNonNull, nullptr,
                 std::make_shared<const TypeRef>(std::move(*resolved_inner))};
}

}  // namespace choreo::graphql
