#include <set>
#include <utility>
#include <variant>

#include "graphql/built_in_scalars.hpp"
#include "graphql/input_coercion.hpp"
#include "graphql/introspection.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/schema_impl.hpp"
#include "graphql/syntax_error.hpp"

namespace choreo::graphql {

namespace {

struct ObjectSpec {
  std::string name;
  std::vector<FieldDefinition> fields;
  std::string description;
};
struct InputObjectSpec {
  std::string name;
  std::vector<InputFieldDefinition> fields;
  std::string description;
};
struct EnumSpec {
  std::string name;
  std::vector<EnumValueDefinition> values;
  std::string description;
};

using TypeSpec = std::variant<ScalarDefinition, ObjectSpec, InputObjectSpec, EnumSpec>;

const std::string& spec_name(const TypeSpec& spec) {
  return std::visit([](const auto& s) -> const std::string& { return s.name; }, spec);
}

bool is_valid_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) {
      return false;
    }
  }
  return true;
}

void check_name(std::string_view name, const std::string& what) {
  if (!is_valid_name(name)) {
    throw SchemaError(what + " has the invalid name \"" + std::string(name) + "\".");
  }
  if (name.substr(0, 2) == "__") {
    throw SchemaError(what + " \"" + std::string(name) +
                      "\" must not begin with \"__\", which is reserved for introspection.");
  }
}

InputValueDefinition built_in_argument(std::string name, TypeRef type, std::string description) {
  InputValueDefinition argument;
  argument.name = std::move(name);
  argument.type = std::move(type);
  argument.description = std::move(description);
  return argument;
}

class Builder {
 public:
  explicit Builder(const std::vector<TypeSpec>& specs) : specs_(specs) {
    impl_ = std::make_shared<Schema::Impl>();
  }

  std::shared_ptr<Schema::Impl> build(const std::string& query, const std::string& mutation,
                                      const std::string& subscription) {
    for (auto& scalar : make_built_in_scalars()) {
      register_type(std::move(scalar));
    }
    for (const TypeSpec& spec : specs_) {
      declare(spec);
    }
    for (std::size_t i = 0; i < specs_.size(); ++i) {
      define(specs_[i], *impl_->types[kBuiltInCount + i]);
    }
    add_directives();
    for (auto& type : impl_->types) {
      coerce_defaults(*type);
    }
    impl_->query = root("query", query);
    if (impl_->query == nullptr) {
      throw SchemaError("The schema needs a query type.");
    }
    impl_->mutation = root("mutation", mutation);
    impl_->subscription = root("subscription", subscription);
    add_introspection(*impl_);
    return impl_;
  }

 private:
  static constexpr std::size_t kBuiltInCount = 5;

  void register_type(std::unique_ptr<TypeDefinition> type) {
    if (!impl_->types_by_name.emplace(type->name, type.get()).second) {
      throw SchemaError("Type \"" + type->name + "\" is defined more than once.");
    }
    impl_->types.push_back(std::move(type));
  }

  void declare(const TypeSpec& spec) {
    auto type = std::make_unique<TypeDefinition>();
    type->name = spec_name(spec);
    check_name(type->name, "A type");
    if (std::holds_alternative<ScalarDefinition>(spec)) {
      type->kind = TypeKind::kScalar;
    } else if (std::holds_alternative<ObjectSpec>(spec)) {
      type->kind = TypeKind::kObject;
    } else if (std::holds_alternative<InputObjectSpec>(spec)) {
      type->kind = TypeKind::kInputObject;
    } else {
      type->kind = TypeKind::kEnum;
    }
    register_type(std::move(type));
  }

  void define(const TypeSpec& spec, TypeDefinition& type) {
    if (const auto* scalar = std::get_if<ScalarDefinition>(&spec)) {
      type.description = scalar->description;
      if (!scalar->serialize || !scalar->parse_value || !scalar->parse_literal) {
        throw SchemaError("Scalar \"" + type.name +
                          "\" needs serialize, parse_value and parse_literal functions.");
      }
      type.serialize = scalar->serialize;
      type.parse_value = scalar->parse_value;
      type.parse_literal = scalar->parse_literal;
      type.specified_by_url = scalar->specified_by_url;
    } else if (const auto* object = std::get_if<ObjectSpec>(&spec)) {
      define_object(*object, type);
    } else if (const auto* input = std::get_if<InputObjectSpec>(&spec)) {
      define_input_object(*input, type);
    } else {
      define_enum(std::get<EnumSpec>(spec), type);
    }
  }

  void define_object(const ObjectSpec& spec, TypeDefinition& type) {
    type.description = spec.description;
    if (spec.fields.empty()) {
      throw SchemaError("Type \"" + type.name + "\" must define one or more fields.");
    }
    std::set<std::string, std::less<>> seen;
    for (const FieldDefinition& field : spec.fields) {
      const std::string where = type.name + "." + field.name;
      check_name(field.name, "A field of \"" + type.name + "\"");
      if (!seen.insert(field.name).second) {
        throw SchemaError("Field \"" + where + "\" is defined more than once.");
      }
      OutputFieldDefinition defined;
      defined.name = field.name;
      defined.type = reference(field.type, where);
      if (!is_output_type(defined.type)) {
        throw SchemaError("The type of " + where +
                          " must be an output type but got: " + field.type + ".");
      }
      if (!field.resolve) {
        throw SchemaError("Field \"" + where + "\" has no resolver.");
      }
      defined.resolve = field.resolve;
      defined.description = field.description;
      defined.deprecation_reason = field.deprecation_reason;
      std::set<std::string, std::less<>> argument_names;
      for (const ArgumentDefinition& argument : field.arguments) {
        const std::string argument_where = where + "(" + argument.name + ":)";
        check_name(argument.name, "An argument of " + where);
        if (!argument_names.insert(argument.name).second) {
          throw SchemaError("Argument \"" + argument_where + "\" is defined more than once.");
        }
        defined.arguments.push_back(input_value(argument.name, argument.type,
                                                argument.default_value, argument.description,
                                                argument_where));
      }
      type.fields.push_back(std::move(defined));
    }
  }

  void define_input_object(const InputObjectSpec& spec, TypeDefinition& type) {
    type.description = spec.description;
    if (spec.fields.empty()) {
      throw SchemaError("Input Object type \"" + type.name + "\" must define one or more fields.");
    }
    std::set<std::string, std::less<>> seen;
    for (const InputFieldDefinition& field : spec.fields) {
      const std::string where = type.name + "." + field.name;
      check_name(field.name, "A field of \"" + type.name + "\"");
      if (!seen.insert(field.name).second) {
        throw SchemaError("Field \"" + where + "\" is defined more than once.");
      }
      type.input_fields.push_back(
          input_value(field.name, field.type, field.default_value, field.description, where));
    }
  }

  void define_enum(const EnumSpec& spec, TypeDefinition& type) {
    type.description = spec.description;
    if (spec.values.empty()) {
      throw SchemaError("Enum type \"" + type.name + "\" must define one or more values.");
    }
    std::set<std::string, std::less<>> seen;
    for (const EnumValueDefinition& value : spec.values) {
      check_name(value.name, "A value of enum \"" + type.name + "\"");
      if (value.name == "true" || value.name == "false" || value.name == "null") {
        throw SchemaError("Enum type \"" + type.name + "\" cannot include value: " + value.name +
                          ".");
      }
      if (!seen.insert(value.name).second) {
        throw SchemaError("Enum value \"" + type.name + "." + value.name +
                          "\" is defined more than once.");
      }
      type.enum_values.push_back(value);
    }
  }

  InputValueDefinition input_value(const std::string& name, const std::string& type_sdl,
                                   const std::optional<std::string>& default_literal,
                                   const std::string& description, const std::string& where) {
    InputValueDefinition defined;
    defined.name = name;
    defined.type = reference(type_sdl, where);
    if (!is_input_type(defined.type)) {
      throw SchemaError("The type of " + where + " must be an input type but got: " + type_sdl +
                        ".");
    }
    defined.default_literal = default_literal;
    defined.description = description;
    if (default_literal) {
      try {
        parse_const_value(*default_literal);  // coerced once every type is known
      } catch (const ParseError& error) {
        throw SchemaError("The default value of " + where + " is not a constant: " + error.what());
      }
    }
    return defined;
  }

  // Parses an SDL type reference and links it to the registry.
  TypeRef reference(const std::string& sdl, const std::string& where) {
    Type parsed;
    try {
      parsed = parse_type(sdl);
    } catch (const ParseError& error) {
      throw SchemaError("The type \"" + sdl + "\" of " + where +
                        " does not parse: " + error.what());
    }
    std::optional<TypeRef> resolved = impl_->resolve(parsed);
    if (!resolved) {
      const Type* named = &parsed;
      while (!std::holds_alternative<NamedType>(named->kind)) {
        named = std::holds_alternative<ListType>(named->kind)
                    ? &*std::get<ListType>(named->kind).item_type
                    : &*std::get<NonNullType>(named->kind).nullable_type;
      }
      throw SchemaError(where + " refers to unknown type \"" +
                        std::get<NamedType>(named->kind).name + "\".");
    }
    return std::move(*resolved);
  }

  void add_directives() {
    const TypeRef boolean{TypeRef::Kind::kNamed, impl_->find_type("Boolean"), nullptr};
    const TypeRef string{TypeRef::Kind::kNamed, impl_->find_type("String"), nullptr};
    const TypeRef required_boolean{TypeRef::Kind::kNonNull, nullptr,
                                   std::make_shared<const TypeRef>(boolean)};
    const std::vector<DirectiveLocation> executable{DirectiveLocation::kField,
                                                    DirectiveLocation::kFragmentSpread,
                                                    DirectiveLocation::kInlineFragment};
    impl_->directives.push_back(DirectiveDefinition{
        "include",
        "Directs the executor to include this field or fragment only when the `if` argument is "
        "true.",
        {built_in_argument("if", required_boolean, "Included when true.")},
        executable,
        true});
    impl_->directives.push_back(DirectiveDefinition{
        "skip",
        "Directs the executor to skip this field or fragment when the `if` argument is true.",
        {built_in_argument("if", required_boolean, "Skipped when true.")},
        executable,
        true});
    InputValueDefinition reason = built_in_argument(
        "reason", string,
        "Explains why this element was deprecated, usually also including a suggestion for how "
        "to access supported similar data. Formatted using the Markdown syntax, as specified by "
        "[CommonMark](https://commonmark.org/).");
    reason.default_literal = "\"No longer supported\"";
    reason.default_value = InputValue{std::string("No longer supported")};
    impl_->directives.push_back(DirectiveDefinition{
        "deprecated",
        "Marks an element of a GraphQL schema as no longer supported.",
        {std::move(reason)},
        {DirectiveLocation::kFieldDefinition, DirectiveLocation::kArgumentDefinition,
         DirectiveLocation::kInputFieldDefinition, DirectiveLocation::kEnumValue},
        true});
    const TypeRef required_string{TypeRef::Kind::kNonNull, nullptr,
                                  std::make_shared<const TypeRef>(string)};
    impl_->directives.push_back(DirectiveDefinition{
        "specifiedBy",
        "Exposes a URL that specifies the behavior of this scalar.",
        {built_in_argument("url", required_string,
                           "The URL that specifies the behavior of this scalar.")},
        {DirectiveLocation::kScalar},
        true});
  }

  // Coerces the declared defaults of a type's arguments or fields, those of the input objects
  // they use first, so a default that leaves out a defaulted nested field gets that default.
  void coerce_defaults(TypeDefinition& type) {
    if (!defaults_done_.insert(&type).second) {
      return;
    }
    for (InputValueDefinition& field : type.input_fields) {
      coerce_default(field, type.name + "." + field.name);
    }
    for (OutputFieldDefinition& field : type.fields) {
      for (InputValueDefinition& argument : field.arguments) {
        coerce_default(argument, type.name + "." + field.name + "(" + argument.name + ":)");
      }
    }
  }

  void coerce_default(InputValueDefinition& definition, const std::string& where) {
    if (!definition.default_literal || definition.default_value) {
      return;
    }
    const TypeDefinition& base = definition.type.base();
    if (base.kind == TypeKind::kInputObject) {
      for (auto& type : impl_->types) {
        if (type.get() == &base) {
          coerce_defaults(*type);
        }
      }
    }
    const Value literal = parse_const_value(*definition.default_literal);
    std::vector<CoercionIssue> issues;
    std::vector<PathSegment> path;
    std::optional<InputValue> value =
        coerce_literal(literal, definition.type, LiteralScope{}, issues, path);
    if (!issues.empty()) {
      throw SchemaError("The default value of " + where + " is invalid: " + issues[0].message);
    }
    definition.default_value = std::move(value);
  }

  const TypeDefinition* root(const std::string& operation, const std::string& name) {
    if (name.empty()) {
      return nullptr;
    }
    const TypeDefinition* type = impl_->find_type(name);
    if (type == nullptr || type->kind != TypeKind::kObject) {
      throw SchemaError("The " + operation + " type \"" + name + "\" is not an object type.");
    }
    return type;
  }

  const std::vector<TypeSpec>& specs_;
  std::shared_ptr<Schema::Impl> impl_;
  std::set<const TypeDefinition*> defaults_done_;
};

}  // namespace

struct SchemaBuilder::State {
  std::vector<TypeSpec> specs;
  std::string query;
  std::string mutation;
  std::string subscription;
};

Schema::Schema(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

SchemaBuilder::SchemaBuilder() : state_(std::make_unique<State>()) {}
SchemaBuilder::~SchemaBuilder() = default;
SchemaBuilder::SchemaBuilder(SchemaBuilder&&) noexcept = default;
SchemaBuilder& SchemaBuilder::operator=(SchemaBuilder&&) noexcept = default;

SchemaBuilder& SchemaBuilder::scalar(ScalarDefinition definition) {
  state_->specs.emplace_back(std::move(definition));
  return *this;
}

SchemaBuilder& SchemaBuilder::object(std::string name, std::vector<FieldDefinition> fields,
                                     std::string description) {
  state_->specs.emplace_back(
      ObjectSpec{std::move(name), std::move(fields), std::move(description)});
  return *this;
}

SchemaBuilder& SchemaBuilder::input_object(std::string name,
                                           std::vector<InputFieldDefinition> fields,
                                           std::string description) {
  state_->specs.emplace_back(
      InputObjectSpec{std::move(name), std::move(fields), std::move(description)});
  return *this;
}

SchemaBuilder& SchemaBuilder::enumeration(std::string name, std::vector<EnumValueDefinition> values,
                                          std::string description) {
  state_->specs.emplace_back(EnumSpec{std::move(name), std::move(values), std::move(description)});
  return *this;
}

SchemaBuilder& SchemaBuilder::query(std::string type_name) {
  state_->query = std::move(type_name);
  return *this;
}

SchemaBuilder& SchemaBuilder::mutation(std::string type_name) {
  state_->mutation = std::move(type_name);
  return *this;
}

SchemaBuilder& SchemaBuilder::subscription(std::string type_name) {
  state_->subscription = std::move(type_name);
  return *this;
}

Schema SchemaBuilder::build() const {
  return Schema(
      Builder(state_->specs).build(state_->query, state_->mutation, state_->subscription));
}

}  // namespace choreo::graphql
