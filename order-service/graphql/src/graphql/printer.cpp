#include "graphql/printer.hpp"

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "graphql/block_string.hpp"
#include "graphql/lexer.hpp"
#include "graphql/syntax_error.hpp"

namespace choreo::graphql {

namespace {

template <typename... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
template <typename... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

// Whether the lexer reads print_block_string(value) back as exactly `value`. Values with leading
// or trailing blank lines, a common indentation or a carriage return do not survive, and neither
// does text that is not UTF-8; those print as ordinary strings.
bool survives_as_block_string(const std::string& value, const std::string& printed) {
  try {
    Lexer lexer(printed);
    const Token token = lexer.next();
    return token.kind == TokenKind::kBlockString && token.value == value &&
           lexer.next().kind == TokenKind::kEndOfFile;
  } catch (const ParseError&) {
    return false;
  }
}

void append_quoted_string(std::string& out, std::string_view value) {
  out.push_back('"');
  for (const char c : value) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(c));
          out.append(buffer);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

class Printer {
 public:
  std::string take() { return std::move(out_); }

  void document(const Document& document) {
    bool first = true;
    for (const Definition& definition : document.definitions) {
      if (!first) {
        out_.append("\n\n");
      }
      first = false;
      std::visit([this](const auto& node) { this->definition(node); }, definition);
      // A type definition without a body would swallow a following "{ ... }" as its fields.
      shorthand_allowed_ = is_executable(definition);
    }
  }

  void value(const Value& value) {
    std::visit(
        Overloaded{
            [this](const Variable& variable) {
              out_.push_back('$');
              out_.append(variable.name);
            },
            [this](const IntValue& number) { out_.append(number.text); },
            [this](const FloatValue& number) { out_.append(number.text); },
            [this](const StringValue& string) { this->string(string); },
            [this](const BooleanValue& boolean) { out_.append(boolean.value ? "true" : "false"); },
            [this](const NullValue&) { out_.append("null"); },
            [this](const EnumValue& enum_value) { out_.append(enum_value.name); },
            [this](const ListValue& list) {
              out_.push_back('[');
              for (std::size_t i = 0; i < list.values.size(); ++i) {
                out_.append(i == 0 ? "" : ", ");
                this->value(list.values[i]);
              }
              out_.push_back(']');
            },
            [this](const ObjectValue& object) {
              out_.push_back('{');
              for (std::size_t i = 0; i < object.fields.size(); ++i) {
                out_.append(i == 0 ? "" : ", ");
                out_.append(object.fields[i].name);
                out_.append(": ");
                this->value(object.fields[i].value);
              }
              out_.push_back('}');
            },
        },
        value.kind);
  }

  void type(const Type& type) {
    std::visit(Overloaded{
                   [this](const NamedType& named) { out_.append(named.name); },
                   [this](const ListType& list) {
                     out_.push_back('[');
                     this->type(*list.item_type);
                     out_.push_back(']');
                   },
                   [this](const NonNullType& non_null) {
                     this->type(*non_null.nullable_type);
                     out_.push_back('!');
                   },
               },
               type.kind);
  }

 private:
  void definition(const OperationDefinition& operation) {
    const bool shorthand = shorthand_allowed_ && operation.operation == OperationType::kQuery &&
                           !operation.name && operation.variable_definitions.empty() &&
                           operation.directives.empty();
    if (!shorthand) {
      out_.append(operation_type_name(operation.operation));
      if (operation.name) {
        out_.push_back(' ');
        out_.append(*operation.name);
      }
      if (!operation.variable_definitions.empty()) {
        out_.append(operation.name ? "(" : " (");
        for (std::size_t i = 0; i < operation.variable_definitions.size(); ++i) {
          out_.append(i == 0 ? "" : ", ");
          variable_definition(operation.variable_definitions[i]);
        }
        out_.push_back(')');
      }
      directives(operation.directives);
      out_.push_back(' ');
    }
    selection_set(operation.selection_set);
  }

  void definition(const FragmentDefinition& fragment) {
    out_.append("fragment ");
    out_.append(fragment.name);
    out_.append(" on ");
    out_.append(fragment.type_condition.name);
    directives(fragment.directives);
    out_.push_back(' ');
    selection_set(fragment.selection_set);
  }

  // ---- Type-system definitions ----

  void description(const std::optional<StringValue>& text) {
    if (text) {
      string(*text);
      new_line();
    }
  }

  void extend(bool extension) {
    if (extension) {
      out_.append("extend ");
    }
  }

  void definition(const type_system::SchemaDefinition& schema) {
    description(schema.description);
    extend(schema.extension);
    out_.append("schema");
    directives(schema.directives);
    if (!schema.operation_types.empty()) {
      out_.append(" {");
      ++indent_;
      for (const auto& root : schema.operation_types) {
        new_line();
        out_.append(operation_type_name(root.operation));
        out_.append(": ");
        out_.append(root.type.value);
      }
      --indent_;
      new_line();
      out_.push_back('}');
    }
  }

  void definition(const type_system::ScalarTypeDefinition& scalar) {
    description(scalar.description);
    extend(scalar.extension);
    out_.append("scalar ");
    out_.append(scalar.name);
    directives(scalar.directives);
  }

  void definition(const type_system::ObjectTypeDefinition& object) {
    description(object.description);
    extend(object.extension);
    out_.append("type ");
    out_.append(object.name);
    names(" implements ", " & ", object.interfaces);
    directives(object.directives);
    field_definitions(object.fields);
  }

  void definition(const type_system::InterfaceTypeDefinition& interface) {
    description(interface.description);
    extend(interface.extension);
    out_.append("interface ");
    out_.append(interface.name);
    names(" implements ", " & ", interface.interfaces);
    directives(interface.directives);
    field_definitions(interface.fields);
  }

  void definition(const type_system::UnionTypeDefinition& union_type) {
    description(union_type.description);
    extend(union_type.extension);
    out_.append("union ");
    out_.append(union_type.name);
    directives(union_type.directives);
    names(" = ", " | ", union_type.members);
  }

  void definition(const type_system::EnumTypeDefinition& enum_type) {
    description(enum_type.description);
    extend(enum_type.extension);
    out_.append("enum ");
    out_.append(enum_type.name);
    directives(enum_type.directives);
    if (!enum_type.values.empty()) {
      out_.append(" {");
      ++indent_;
      for (const auto& value : enum_type.values) {
        new_line();
        description(value.description);
        out_.append(value.name);
        directives(value.directives);
      }
      --indent_;
      new_line();
      out_.push_back('}');
    }
  }

  void definition(const type_system::InputObjectTypeDefinition& input) {
    description(input.description);
    extend(input.extension);
    out_.append("input ");
    out_.append(input.name);
    directives(input.directives);
    if (!input.fields.empty()) {
      out_.append(" {");
      ++indent_;
      for (const auto& field : input.fields) {
        new_line();
        input_value_definition(field);
      }
      --indent_;
      new_line();
      out_.push_back('}');
    }
  }

  void definition(const type_system::DirectiveDefinition& directive) {
    description(directive.description);
    out_.append("directive @");
    out_.append(directive.name);
    argument_definitions(directive.arguments);
    if (directive.repeatable) {
      out_.append(" repeatable");
    }
    names(" on ", " | ", directive.locations);
  }

  void names(std::string_view before, std::string_view separator,
             const std::vector<type_system::Name>& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      out_.append(i == 0 ? before : separator);
      out_.append(list[i].value);
    }
  }

  void field_definitions(const std::vector<type_system::FieldDefinition>& fields) {
    if (fields.empty()) {
      return;
    }
    out_.append(" {");
    ++indent_;
    for (const auto& field : fields) {
      new_line();
      description(field.description);
      out_.append(field.name);
      argument_definitions(field.arguments);
      out_.append(": ");
      type(field.type);
      directives(field.directives);
    }
    --indent_;
    new_line();
    out_.push_back('}');
  }

  void argument_definitions(const std::vector<type_system::InputValueDefinition>& arguments) {
    if (arguments.empty()) {
      return;
    }
    out_.push_back('(');
    for (std::size_t i = 0; i < arguments.size(); ++i) {
      out_.append(i == 0 ? "" : ", ");
      if (arguments[i].description) {
        string(*arguments[i].description);
        out_.push_back(' ');
      }
      input_value_definition_without_description(arguments[i]);
    }
    out_.push_back(')');
  }

  void input_value_definition(const type_system::InputValueDefinition& input) {
    description(input.description);
    input_value_definition_without_description(input);
  }

  void input_value_definition_without_description(const type_system::InputValueDefinition& input) {
    out_.append(input.name);
    out_.append(": ");
    type(input.type);
    if (input.default_value) {
      out_.append(" = ");
      value(*input.default_value);
    }
    directives(input.directives);
  }

  void variable_definition(const VariableDefinition& definition) {
    out_.push_back('$');
    out_.append(definition.name);
    out_.append(": ");
    type(definition.type);
    if (definition.default_value) {
      out_.append(" = ");
      value(*definition.default_value);
    }
    directives(definition.directives);
  }

  // Each directive preceded by a space.
  void directives(const std::vector<Directive>& list) {
    for (const Directive& directive : list) {
      out_.append(" @");
      out_.append(directive.name);
      arguments(directive.arguments);
    }
  }

  void arguments(const std::vector<Argument>& list) {
    if (list.empty()) {
      return;
    }
    out_.push_back('(');
    for (std::size_t i = 0; i < list.size(); ++i) {
      out_.append(i == 0 ? "" : ", ");
      out_.append(list[i].name);
      out_.append(": ");
      value(list[i].value);
    }
    out_.push_back(')');
  }

  void selection_set(const SelectionSet& set) {
    out_.push_back('{');
    ++indent_;
    for (const Selection& selection : set.selections) {
      new_line();
      std::visit([this](const auto& node) { this->selection(node); }, selection);
    }
    --indent_;
    new_line();
    out_.push_back('}');
  }

  void selection(const Field& field) {
    if (field.alias) {
      out_.append(*field.alias);
      out_.append(": ");
    }
    out_.append(field.name);
    arguments(field.arguments);
    directives(field.directives);
    if (field.selection_set) {
      out_.push_back(' ');
      selection_set(*field.selection_set);
    }
  }

  void selection(const FragmentSpread& spread) {
    out_.append("...");
    out_.append(spread.name);
    directives(spread.directives);
  }

  void selection(const InlineFragment& fragment) {
    out_.append("...");
    if (fragment.type_condition) {
      out_.append(" on ");
      out_.append(fragment.type_condition->name);
    }
    directives(fragment.directives);
    out_.push_back(' ');
    selection_set(fragment.selection_set);
  }

  void string(const StringValue& string) {
    if (string.block) {
      const std::string printed = print_block_string(string.value);
      if (survives_as_block_string(string.value, printed)) {
        // Indenting every line alike changes nothing in the value: the lexer removes common
        // indentation, and blank lines stay blank.
        for (const char c : printed) {
          if (c == '\n') {
            new_line();
          } else {
            out_.push_back(c);
          }
        }
        return;
      }
    }
    append_quoted_string(out_, string.value);
  }

  void new_line() {
    out_.push_back('\n');
    out_.append(2 * indent_, ' ');
  }

  std::string out_;
  std::size_t indent_ = 0;
  bool shorthand_allowed_ = true;
};

}  // namespace

std::string print(const Document& document) {
  Printer printer;
  printer.document(document);
  return printer.take();
}

std::string print(const Value& value) {
  Printer printer;
  printer.value(value);
  return printer.take();
}

std::string print(const Type& type) {
  Printer printer;
  printer.type(type);
  return printer.take();
}

}  // namespace choreo::graphql
