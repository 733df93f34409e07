#include <string>

#include "graphql/block_string.hpp"
#include "graphql/parser.hpp"
#include "graphql/printer.hpp"
#include "graphql/schema.hpp"
#include "graphql/schema_impl.hpp"

namespace choreo::graphql {

namespace {

constexpr std::string_view kDefaultDeprecationReason = "No longer supported";

void print_description(const std::string& description, const std::string& indent,
                       std::string& out) {
  if (description.empty()) {
    return;
  }
  const std::string block = print_block_string(description);
  out += indent;
  for (const char c : block) {
    out += c;
    if (c == '\n') {
      out += indent;
    }
  }
  out += '\n';
}

void print_deprecation(const std::optional<std::string>& reason, std::string& out) {
  if (!reason) {
    return;
  }
  out += " @deprecated";
  if (*reason != kDefaultDeprecationReason) {
    out += "(reason: " + print(Value{StringValue{*reason, false}, {}}) + ")";
  }
}

void print_input_value(const InputValueDefinition& value, std::string& out) {
  out += value.name + ": " + value.type.sdl();
  if (value.default_literal) {
    out += " = " + print(parse_const_value(*value.default_literal));
  }
}

void print_arguments(const std::vector<InputValueDefinition>& arguments, std::string& out) {
  if (arguments.empty()) {
    return;
  }
  bool described = false;
  for (const InputValueDefinition& argument : arguments) {
    described = described || !argument.description.empty();
  }
  out += '(';
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (described) {
      out += '\n';
      print_description(arguments[i].description, "    ", out);
      out += "    ";
    } else if (i > 0) {
      out += ", ";
    }
    print_input_value(arguments[i], out);
  }
  out += described ? "\n  )" : ")";
}

void print_type(const TypeDefinition& type, std::string& out) {
  print_description(type.description, "", out);
  switch (type.kind) {
    case TypeKind::kScalar:
      out += "scalar " + type.name;
      if (type.specified_by_url) {
        out +=
            " @specifiedBy(url: " + print(Value{StringValue{*type.specified_by_url, false}, {}}) +
            ")";
      }
      return;
    case TypeKind::kObject:
      out += "type " + type.name + " {\n";
      for (const OutputFieldDefinition& field : type.fields) {
        print_description(field.description, "  ", out);
        out += "  " + field.name;
        print_arguments(field.arguments, out);
        out += ": " + field.type.sdl();
        print_deprecation(field.deprecation_reason, out);
        out += '\n';
      }
      break;
    case TypeKind::kInputObject:
      out += "input " + type.name + " {\n";
      for (const InputValueDefinition& field : type.input_fields) {
        print_description(field.description, "  ", out);
        out += "  ";
        print_input_value(field, out);
        out += '\n';
      }
      break;
    case TypeKind::kEnum:
      out += "enum " + type.name + " {\n";
      for (const EnumValueDefinition& value : type.enum_values) {
        print_description(value.description, "  ", out);
        out += "  " + value.name;
        print_deprecation(value.deprecation_reason, out);
        out += '\n';
      }
      break;
  }
  out += '}';
}

// The schema block is needed only when a root type does not have its conventional name.
bool needs_schema_block(const Schema::Impl& schema) {
  return schema.query->name != "Query" ||
         (schema.mutation != nullptr && schema.mutation->name != "Mutation") ||
         (schema.subscription != nullptr && schema.subscription->name != "Subscription");
}

}  // namespace

std::string Schema::print() const {
  const Impl& schema = impl();
  std::string out;
  if (needs_schema_block(schema)) {
    out += "schema {\n  query: " + schema.query->name + "\n";
    if (schema.mutation != nullptr) {
      out += "  mutation: " + schema.mutation->name + "\n";
    }
    if (schema.subscription != nullptr) {
      out += "  subscription: " + schema.subscription->name + "\n";
    }
    out += "}";
  }
  for (const auto& type : schema.types) {
    if (type->built_in) {
      continue;
    }
    if (!out.empty()) {
      out += "\n\n";
    }
    print_type(*type, out);
  }
  return out;
}

}  // namespace choreo::graphql
