#include "graphql/introspection.hpp"

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphql/parser.hpp"
#include "graphql/printer.hpp"

namespace choreo::graphql {

namespace {

// What each introspection object resolves against: __Schema the schema itself, __Type a type
// reference (so wrapped types need no registry entry), the others their definitions.
using SchemaSource = const Schema::Impl*;
using FieldSource = const OutputFieldDefinition*;
using InputValueSource = const InputValueDefinition*;
using EnumValueSource = const EnumValueDefinition*;
using DirectiveSource = const DirectiveDefinition*;

Resolved nullable_string(const std::string& text) {
  return text.empty() ? Resolved() : Resolved(ResultValue(text));
}

Resolved optional_string(const std::optional<std::string>& text) {
  return text ? Resolved(ResultValue(*text)) : Resolved();
}

TypeRef named(const TypeDefinition& type) {
  return TypeRef{TypeRef::Kind::kNamed, &type, nullptr};
}

std::string_view kind_name(const TypeRef& type) {
  switch (type.kind) {
    case TypeRef::Kind::kList:
      return "LIST";
    case TypeRef::Kind::kNonNull:
      return "NON_NULL";
    case TypeRef::Kind::kNamed:
      break;
  }
  switch (type.named->kind) {
    case TypeKind::kScalar:
      return "SCALAR";
    case TypeKind::kObject:
      return "OBJECT";
    case TypeKind::kInputObject:
      return "INPUT_OBJECT";
    case TypeKind::kEnum:
      return "ENUM";
  }
  return "SCALAR";
}

bool include_deprecated(const FieldContext& context) {
  const InputValue* value = context.arguments.find("includeDeprecated");
  return value != nullptr && value->boolean() != nullptr && *value->boolean();
}

Resolved input_values(const std::vector<InputValueDefinition>& values) {
  std::vector<Resolved> items;
  items.reserve(values.size());
  for (const InputValueDefinition& value : values) {
    items.push_back(Resolved::object(InputValueSource{&value}));
  }
  return Resolved::list(std::move(items));
}

// Builds the introspection types into a schema, in two passes: every type is registered before
// any field refers to one.
class IntrospectionBuilder {
 public:
  explicit IntrospectionBuilder(Schema::Impl& schema) : schema_(schema) {}

  void build() {
    TypeDefinition& schema_type = add(TypeKind::kObject, "__Schema",
                                      "A GraphQL service's description of itself: its types, "
                                      "directives and the roots of its operations.");
    TypeDefinition& type_type =
        add(TypeKind::kObject, "__Type",
            "One type of the schema, or a list or non-null wrapper around one. Which fields are "
            "non-null depends on `kind`.");
    TypeDefinition& field_type =
        add(TypeKind::kObject, "__Field", "A field of an object or interface type.");
    TypeDefinition& input_value_type =
        add(TypeKind::kObject, "__InputValue",
            "An argument of a field or directive, or a field of an input object type.");
    TypeDefinition& enum_value_type =
        add(TypeKind::kObject, "__EnumValue", "One of the values of an enum type.");
    TypeDefinition& directive_type =
        add(TypeKind::kObject, "__Directive",
            "A directive the service understands: where it may appear and which arguments it "
            "takes.");
    TypeDefinition& type_kind =
        add(TypeKind::kEnum, "__TypeKind", "What kind of type a __Type is.");
    type_kind.enum_values = {
        {"SCALAR", "A leaf value: Int, String, a custom scalar...", {}},
        {"OBJECT", "An object with fields; may implement interfaces.", {}},
        {"INTERFACE", "A set of fields that object types implement.", {}},
        {"UNION", "One of several object types.", {}},
        {"ENUM", "One of a fixed set of names.", {}},
        {"INPUT_OBJECT", "An object given as an argument; `inputFields` lists its fields.", {}},
        {"LIST", "A list of another type, named by `ofType`.", {}},
        {"NON_NULL", "Another type, named by `ofType`, that is never null.", {}},
    };
    TypeDefinition& location_type = add(TypeKind::kEnum, "__DirectiveLocation",
                                        "A place in a document or schema where a directive may "
                                        "appear.");
    for (const std::string_view location :
         {"QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
          "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT",
          "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
          "INPUT_OBJECT", "INPUT_FIELD_DEFINITION"}) {
      location_type.enum_values.push_back({std::string(location), {}, {}});
    }

    define_schema(schema_type);
    define_type(type_type);
    define_field(field_type);
    define_input_value(input_value_type);
    define_enum_value(enum_value_type);
    define_directive(directive_type);
    define_root_fields();
    list_types();
  }

 private:
  TypeDefinition& add(TypeKind kind, std::string name, std::string description) {
    auto type = std::make_unique<TypeDefinition>();
    type->kind = kind;
    type->name = std::move(name);
    type->description = std::move(description);
    type->built_in = true;
    TypeDefinition& added = *type;
    schema_.types_by_name.emplace(added.name, &added);
    schema_.types.push_back(std::move(type));
    return added;
  }

  TypeRef ref(std::string_view sdl) const { return *schema_.resolve(parse_type(sdl)); }

  OutputFieldDefinition field(std::string name, std::string_view type, FieldResolver resolve,
                              std::vector<InputValueDefinition> arguments = {}) const {
    OutputFieldDefinition defined;
    defined.name = std::move(name);
    defined.type = ref(type);
    defined.resolve = std::move(resolve);
    defined.arguments = std::move(arguments);
    return defined;
  }

  std::vector<InputValueDefinition> include_deprecated_argument() const {
    InputValueDefinition argument;
    argument.name = "includeDeprecated";
    argument.type = ref("Boolean");
    argument.default_literal = "false";
    argument.default_value = InputValue{false};
    return {std::move(argument)};
  }

  void define_schema(TypeDefinition& type) const {
    const Schema::Impl* schema = &schema_;
    type.fields.push_back(field("description", "String", [](const FieldContext&) {
      return Resolved();  // schemas built in code carry no description
    }));
    type.fields.push_back(field("types", "[__Type!]!", [schema](const FieldContext&) {
      std::vector<Resolved> items;
      for (const TypeDefinition* listed : schema->listed_types) {
        items.push_back(Resolved::object(named(*listed)));
      }
      return Resolved::list(std::move(items));
    }));
    type.fields.push_back(field("queryType", "__Type!", [schema](const FieldContext&) {
      return Resolved::object(named(*schema->query));
    }));
    type.fields.push_back(field("mutationType", "__Type", [schema](const FieldContext&) {
      return schema->mutation ? Resolved::object(named(*schema->mutation)) : Resolved();
    }));
    type.fields.push_back(field("subscriptionType", "__Type", [schema](const FieldContext&) {
      return schema->subscription ? Resolved::object(named(*schema->subscription)) : Resolved();
    }));
    type.fields.push_back(field("directives", "[__Directive!]!", [schema](const FieldContext&) {
      std::vector<Resolved> items;
      for (const DirectiveDefinition& directive : schema->directives) {
        items.push_back(Resolved::object(DirectiveSource{&directive}));
      }
      return Resolved::list(std::move(items));
    }));
  }

  void define_type(TypeDefinition& type) const {
    // Only named types have a definition; wrappers answer null to the questions about one.
    auto definition = [](const FieldContext& context) -> const TypeDefinition* {
      const auto& source = context.source_as<TypeRef>();
      return source.kind == TypeRef::Kind::kNamed ? source.named : nullptr;
    };
    auto of_kind = [definition](const FieldContext& context, TypeKind kind) {
      const TypeDefinition* named_type = definition(context);
      return named_type != nullptr && named_type->kind == kind ? named_type : nullptr;
    };
    type.fields.push_back(field("kind", "__TypeKind!", [](const FieldContext& context) {
      return Resolved(ResultValue(std::string(kind_name(context.source_as<TypeRef>()))));
    }));
    type.fields.push_back(field("name", "String", [definition](const FieldContext& context) {
      const TypeDefinition* named_type = definition(context);
      return named_type != nullptr ? Resolved(ResultValue(named_type->name)) : Resolved();
    }));
    type.fields.push_back(field("description", "String", [definition](const FieldContext& context) {
      const TypeDefinition* named_type = definition(context);
      return named_type != nullptr ? nullable_string(named_type->description) : Resolved();
    }));
    type.fields.push_back(field("specifiedByURL", "String", [of_kind](const FieldContext& context) {
      const TypeDefinition* scalar = of_kind(context, TypeKind::kScalar);
      return scalar != nullptr ? optional_string(scalar->specified_by_url) : Resolved();
    }));
    type.fields.push_back(field(
        "fields", "[__Field!]",
        [of_kind](const FieldContext& context) {
          const TypeDefinition* object = of_kind(context, TypeKind::kObject);
          if (object == nullptr) {
            return Resolved();
          }
          const bool deprecated_too = include_deprecated(context);
          std::vector<Resolved> items;
          for (const OutputFieldDefinition& object_field : object->fields) {
            if (deprecated_too || !object_field.deprecation_reason) {
              items.push_back(Resolved::object(FieldSource{&object_field}));
            }
          }
          return Resolved::list(std::move(items));
        },
        include_deprecated_argument()));
    type.fields.push_back(field("interfaces", "[__Type!]", [of_kind](const FieldContext& context) {
      // Objects implement no interfaces here: the schema has none.
      return of_kind(context, TypeKind::kObject) != nullptr ? Resolved::list({}) : Resolved();
    }));
    type.fields.push_back(field("possibleTypes", "[__Type!]", [](const FieldContext&) {
      return Resolved();  // only interfaces and unions have possible types
    }));
    type.fields.push_back(field(
        "enumValues", "[__EnumValue!]",
        [of_kind](const FieldContext& context) {
          const TypeDefinition* enum_type = of_kind(context, TypeKind::kEnum);
          if (enum_type == nullptr) {
            return Resolved();
          }
          const bool deprecated_too = include_deprecated(context);
          std::vector<Resolved> items;
          for (const EnumValueDefinition& value : enum_type->enum_values) {
            if (deprecated_too || !value.deprecation_reason) {
              items.push_back(Resolved::object(EnumValueSource{&value}));
            }
          }
          return Resolved::list(std::move(items));
        },
        include_deprecated_argument()));
    type.fields.push_back(field(
        "inputFields", "[__InputValue!]",
        [of_kind](const FieldContext& context) {
          const TypeDefinition* input = of_kind(context, TypeKind::kInputObject);
          return input != nullptr ? input_values(input->input_fields) : Resolved();
        },
        include_deprecated_argument()));
    type.fields.push_back(field("ofType", "__Type", [](const FieldContext& context) {
      const auto& source = context.source_as<TypeRef>();
      return source.of ? Resolved::object(TypeRef(*source.of)) : Resolved();
    }));
    type.fields.push_back(field("isOneOf", "Boolean", [of_kind](const FieldContext& context) {
      // No input object here is a @oneOf one.
      return of_kind(context, TypeKind::kInputObject) != nullptr ? Resolved(ResultValue(false))
                                                                 : Resolved();
    }));
  }

  void define_field(TypeDefinition& type) const {
    auto source = [](const FieldContext& context) { return context.source_as<FieldSource>(); };
    type.fields.push_back(field("name", "String!", [source](const FieldContext& context) {
      return Resolved(ResultValue(source(context)->name));
    }));
    type.fields.push_back(field("description", "String", [source](const FieldContext& context) {
      return nullable_string(source(context)->description);
    }));
    type.fields.push_back(field(
        "args", "[__InputValue!]!",
        [source](const FieldContext& context) { return input_values(source(context)->arguments); },
        include_deprecated_argument()));
    type.fields.push_back(field("type", "__Type!", [source](const FieldContext& context) {
      return Resolved::object(TypeRef(source(context)->type));
    }));
    type.fields.push_back(field("isDeprecated", "Boolean!", [source](const FieldContext& context) {
      return Resolved(ResultValue(source(context)->deprecation_reason.has_value()));
    }));
    type.fields.push_back(
        field("deprecationReason", "String", [source](const FieldContext& context) {
          return optional_string(source(context)->deprecation_reason);
        }));
  }

  void define_input_value(TypeDefinition& type) const {
    auto source = [](const FieldContext& context) { return context.source_as<InputValueSource>(); };
    type.fields.push_back(field("name", "String!", [source](const FieldContext& context) {
      return Resolved(ResultValue(source(context)->name));
    }));
    type.fields.push_back(field("description", "String", [source](const FieldContext& context) {
      return nullable_string(source(context)->description);
    }));
    type.fields.push_back(field("type", "__Type!", [source](const FieldContext& context) {
      return Resolved::object(TypeRef(source(context)->type));
    }));
    type.fields.push_back(field("defaultValue", "String", [source](const FieldContext& context) {
      // Printed from the parsed literal, so it reads the same however it was declared.
      const std::optional<std::string>& literal = source(context)->default_literal;
      return literal ? Resolved(ResultValue(print(parse_const_value(*literal)))) : Resolved();
    }));
    type.fields.push_back(field("isDeprecated", "Boolean!", [](const FieldContext&) {
      return Resolved(ResultValue(false));  // arguments and input fields are never deprecated here
    }));
    type.fields.push_back(
        field("deprecationReason", "String", [](const FieldContext&) { return Resolved(); }));
  }

  void define_enum_value(TypeDefinition& type) const {
    auto source = [](const FieldContext& context) { return context.source_as<EnumValueSource>(); };
    type.fields.push_back(field("name", "String!", [source](const FieldContext& context) {
      return Resolved(ResultValue(source(context)->name));
    }));
    type.fields.push_back(field("description", "String", [source](const FieldContext& context) {
      return nullable_string(source(context)->description);
    }));
    type.fields.push_back(field("isDeprecated", "Boolean!", [source](const FieldContext& context) {
      return Resolved(ResultValue(source(context)->deprecation_reason.has_value()));
    }));
    type.fields.push_back(
        field("deprecationReason", "String", [source](const FieldContext& context) {
          return optional_string(source(context)->deprecation_reason);
        }));
  }

  void define_directive(TypeDefinition& type) const {
    auto source = [](const FieldContext& context) { return context.source_as<DirectiveSource>(); };
    type.fields.push_back(field("name", "String!", [source](const FieldContext& context) {
      return Resolved(ResultValue(source(context)->name));
    }));
    type.fields.push_back(field("description", "String", [source](const FieldContext& context) {
      return nullable_string(source(context)->description);
    }));
    type.fields.push_back(field("isRepeatable", "Boolean!", [source](const FieldContext& context) {
      return Resolved(ResultValue(source(context)->repeatable));
    }));
    type.fields.push_back(
        field("locations", "[__DirectiveLocation!]!", [source](const FieldContext& context) {
          std::vector<Resolved> items;
          for (const DirectiveLocation location : source(context)->locations) {
            items.emplace_back(ResultValue(std::string(directive_location_name(location))));
          }
          return Resolved::list(std::move(items));
        }));
    type.fields.push_back(field(
        "args", "[__InputValue!]!",
        [source](const FieldContext& context) { return input_values(source(context)->arguments); },
        include_deprecated_argument()));
  }

  void define_root_fields() {
    const Schema::Impl* schema = &schema_;
    schema_.introspection_fields.push_back(
        field("__schema", "__Schema!",
              [schema](const FieldContext&) { return Resolved::object(SchemaSource{schema}); }));
    InputValueDefinition name;
    name.name = "name";
    name.type = ref("String!");
    schema_.introspection_fields.push_back(
        field("__type", "__Type",
              [schema](const FieldContext& context) {
                const InputValue* wanted = context.arguments.find("name");
                const std::string* type_name = wanted != nullptr ? wanted->string() : nullptr;
                for (const TypeDefinition* listed : schema->listed_types) {
                  if (type_name != nullptr && listed->name == *type_name) {
                    return Resolved::object(named(*listed));
                  }
                }
                return Resolved();
              },
              {std::move(name)}));
  }

  // Every type, in registry order, but the built-in scalars no field, argument or input field
  // refers to.
  void list_types() {
    std::set<const TypeDefinition*> referenced;
    auto refer = [&referenced](const TypeRef& type) { referenced.insert(&type.base()); };
    for (const auto& type : schema_.types) {
      for (const OutputFieldDefinition& type_field : type->fields) {
        refer(type_field.type);
        for (const InputValueDefinition& argument : type_field.arguments) {
          refer(argument.type);
        }
      }
      for (const InputValueDefinition& input_field : type->input_fields) {
        refer(input_field.type);
      }
    }
    for (const DirectiveDefinition& directive : schema_.directives) {
      for (const InputValueDefinition& argument : directive.arguments) {
        refer(argument.type);
      }
    }
    for (const OutputFieldDefinition& root_field : schema_.introspection_fields) {
      for (const InputValueDefinition& argument : root_field.arguments) {
        refer(argument.type);
      }
    }
    for (const auto& type : schema_.types) {
      const bool unused_built_in_scalar =
          type->built_in && type->kind == TypeKind::kScalar && !referenced.count(type.get());
      if (!unused_built_in_scalar) {
        schema_.listed_types.push_back(type.get());
      }
    }
  }

  Schema::Impl& schema_;
};

}  // namespace

void add_introspection(Schema::Impl& schema) {
  IntrospectionBuilder(schema).build();
}

}  // namespace choreo::graphql
