#include "graphql/parser.hpp"

#include <optional>
#include <string>
#include <utility>

#include "graphql/lexer.hpp"
#include "graphql/syntax_error.hpp"
#include "graphql/token.hpp"

namespace choreo::graphql {

namespace {

bool is_directive_location(std::string_view name) {
  static constexpr std::string_view kLocations[] = {"QUERY",
                                                    "MUTATION",
                                                    "SUBSCRIPTION",
                                                    "FIELD",
                                                    "FRAGMENT_DEFINITION",
                                                    "FRAGMENT_SPREAD",
                                                    "INLINE_FRAGMENT",
                                                    "VARIABLE_DEFINITION",
                                                    "SCHEMA",
                                                    "SCALAR",
                                                    "OBJECT",
                                                    "FIELD_DEFINITION",
                                                    "ARGUMENT_DEFINITION",
                                                    "INTERFACE",
                                                    "UNION",
                                                    "ENUM",
                                                    "ENUM_VALUE",
                                                    "INPUT_OBJECT",
                                                    "INPUT_FIELD_DEFINITION"};
  for (const std::string_view location : kLocations) {
    if (name == location) {
      return true;
    }
  }
  return false;
}

// Recursive descent over the whole grammar with one token of lookahead (two where a description
// or "extend" precedes a keyword). Where the grammar leaves a choice, it decides as the reference
// implementation does, so the first syntax error of any document is the same one at the same
// place. Recursion only happens at nesting constructs, and each
// of those goes through NestingGuard, so max_depth bounds the stack.
class Parser {
 public:
  Parser(std::string_view source, const ParseOptions& options) : lexer_(source), options_(options) {
    token_ = lexer_.next();
    count_token();
  }

  Document parse_document() {
    Document document;
    do {
      document.definitions.push_back(parse_definition());
    } while (!peek(TokenKind::kEndOfFile));
    return document;
  }

  Value parse_single_value(bool is_const) {
    Value value = parse_value_literal(is_const);
    expect(TokenKind::kEndOfFile);
    return value;
  }

  Type parse_single_type() {
    Type type = parse_type_reference();
    expect(TokenKind::kEndOfFile);
    return type;
  }

 private:
  class NestingGuard {
   public:
    NestingGuard(Parser& parser, SourceLocation location) : parser_(parser) {
      if (++parser_.depth_ > parser_.options_.max_depth) {
        throw ParseError("Document is nested too deeply.", location);
      }
    }
    ~NestingGuard() { --parser_.depth_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    Parser& parser_;
  };

  // ---- Token handling ----

  void count_token() {
    if (token_.kind == TokenKind::kEndOfFile || options_.max_tokens == 0) {
      return;
    }
    if (++token_count_ > options_.max_tokens) {
      throw ParseError("Document contains more than " + std::to_string(options_.max_tokens) +
                           " tokens. Parsing aborted.",
                       token_.location);
    }
  }

  // Moves to the next token and returns the one just passed.
  Token advance() {
    Token passed = std::move(token_);
    if (lookahead_) {
      token_ = std::move(*lookahead_);
      lookahead_.reset();
    } else {
      token_ = lexer_.next();
    }
    count_token();
    return passed;
  }

  const Token& peek_next() {
    if (!lookahead_) {
      lookahead_ = lexer_.next();
    }
    return *lookahead_;
  }

  bool peek(TokenKind kind) const { return token_.kind == kind; }

  Token expect(TokenKind kind) {
    if (!peek(kind)) {
      throw ParseError("Expected " + describe_kind(kind) + ", found " + describe(token_) + ".",
                       token_.location);
    }
    return advance();
  }

  bool skip(TokenKind kind) {
    if (!peek(kind)) {
      return false;
    }
    advance();
    return true;
  }

  bool peek_keyword(std::string_view keyword) const {
    return token_.kind == TokenKind::kName && token_.value == keyword;
  }

  void expect_keyword(std::string_view keyword) {
    if (!peek_keyword(keyword)) {
      throw ParseError("Expected \"" + std::string(keyword) + "\", found " + describe(token_) + ".",
                       token_.location);
    }
    advance();
  }

  bool skip_keyword(std::string_view keyword) {
    if (!peek_keyword(keyword)) {
      return false;
    }
    advance();
    return true;
  }

  [[noreturn]] static void unexpected(const Token& token) {
    throw ParseError("Unexpected " + describe(token) + ".", token.location);
  }

  std::string parse_name() { return expect(TokenKind::kName).value; }

  // ---- Definitions ----

  Definition parse_definition() {
    if (peek(TokenKind::kBraceLeft)) {
      return parse_operation_definition();
    }
    const bool has_description = peek_description();
    const Token& keyword = has_description ? peek_next() : token_;
    if (keyword.kind == TokenKind::kName) {
      const std::string& word = keyword.value;
      if (word == "schema") {
        return parse_schema_definition();
      }
      if (word == "scalar") {
        return parse_scalar_type_definition();
      }
      if (word == "type") {
        return parse_object_type_definition();
      }
      if (word == "interface") {
        return parse_interface_type_definition();
      }
      if (word == "union") {
        return parse_union_type_definition();
      }
      if (word == "enum") {
        return parse_enum_type_definition();
      }
      if (word == "input") {
        return parse_input_object_type_definition();
      }
      if (word == "directive") {
        return parse_directive_definition();
      }
      if (has_description) {
        throw ParseError(
            "Unexpected description, descriptions are supported only on type definitions.",
            token_.location);
      }
      if (word == "query" || word == "mutation" || word == "subscription") {
        return parse_operation_definition();
      }
      if (word == "fragment") {
        return parse_fragment_definition();
      }
      if (word == "extend") {
        return parse_type_system_extension();
      }
    }
    unexpected(keyword);
  }

  OperationDefinition parse_operation_definition() {
    OperationDefinition operation;
    operation.location = token_.location;
    if (peek(TokenKind::kBraceLeft)) {
      operation.selection_set = parse_selection_set();
      return operation;
    }
    operation.operation = parse_operation_type();
    if (peek(TokenKind::kName)) {
      operation.name_location = token_.location;
      operation.name = advance().value;
    }
    operation.variable_definitions = parse_variable_definitions();
    operation.directives = parse_directives(false);
    operation.selection_set = parse_selection_set();
    return operation;
  }

  OperationType parse_operation_type() {
    const Token token = expect(TokenKind::kName);
    if (token.value == "query") {
      return OperationType::kQuery;
    }
    if (token.value == "mutation") {
      return OperationType::kMutation;
    }
    if (token.value == "subscription") {
      return OperationType::kSubscription;
    }
    unexpected(token);
  }

  std::vector<VariableDefinition> parse_variable_definitions() {
    std::vector<VariableDefinition> definitions;
    if (skip(TokenKind::kParenLeft)) {
      do {
        definitions.push_back(parse_variable_definition());
      } while (!skip(TokenKind::kParenRight));
    }
    return definitions;
  }

  VariableDefinition parse_variable_definition() {
    VariableDefinition definition;
    definition.location = token_.location;
    expect(TokenKind::kDollar);
    definition.name_location = token_.location;
    definition.name = parse_name();
    expect(TokenKind::kColon);
    definition.type = parse_type_reference();
    if (skip(TokenKind::kEquals)) {
      definition.default_value = parse_value_literal(true);
    }
    definition.directives = parse_directives(true);
    return definition;
  }

  std::string parse_variable_name() {
    expect(TokenKind::kDollar);
    return parse_name();
  }

  FragmentDefinition parse_fragment_definition() {
    FragmentDefinition fragment;
    fragment.location = token_.location;
    expect_keyword("fragment");
    fragment.name_location = token_.location;
    fragment.name = parse_fragment_name();
    expect_keyword("on");
    fragment.type_condition = parse_type_condition();
    fragment.directives = parse_directives(false);
    fragment.selection_set = parse_selection_set();
    return fragment;
  }

  // Any name but "on", which would make "...on" ambiguous.
  std::string parse_fragment_name() {
    if (token_.value == "on") {
      unexpected(token_);
    }
    return parse_name();
  }

  TypeCondition parse_type_condition() {
    TypeCondition condition;
    condition.location = token_.location;
    condition.name = parse_name();
    return condition;
  }

  // ---- Type-system definitions ----

  bool peek_description() const {
    return peek(TokenKind::kString) || peek(TokenKind::kBlockString);
  }

  std::optional<StringValue> parse_description() {
    if (!peek_description()) {
      return std::nullopt;
    }
    const bool block = peek(TokenKind::kBlockString);
    return StringValue{advance().value, block};
  }

  type_system::Name parse_type_name() {
    type_system::Name name;
    name.location = token_.location;
    name.value = parse_name();
    return name;
  }

  type_system::SchemaDefinition parse_schema_definition() {
    type_system::SchemaDefinition schema;
    schema.location = token_.location;
    schema.description = parse_description();
    expect_keyword("schema");
    schema.directives = parse_directives(true);
    expect(TokenKind::kBraceLeft);
    do {
      schema.operation_types.push_back(parse_root_operation_type());
    } while (!skip(TokenKind::kBraceRight));
    return schema;
  }

  type_system::RootOperationTypeDefinition parse_root_operation_type() {
    type_system::RootOperationTypeDefinition root;
    root.location = token_.location;
    root.operation = parse_operation_type();
    expect(TokenKind::kColon);
    root.type = parse_type_name();
    return root;
  }

  type_system::ScalarTypeDefinition parse_scalar_type_definition() {
    type_system::ScalarTypeDefinition scalar;
    scalar.location = token_.location;
    scalar.description = parse_description();
    expect_keyword("scalar");
    scalar.name = parse_name();
    scalar.directives = parse_directives(true);
    return scalar;
  }

  // "implements A & B", with an optional leading "&".
  std::vector<type_system::Name> parse_implements_interfaces() {
    std::vector<type_system::Name> interfaces;
    if (skip_keyword("implements")) {
      skip(TokenKind::kAmpersand);
      do {
        interfaces.push_back(parse_type_name());
      } while (skip(TokenKind::kAmpersand));
    }
    return interfaces;
  }

  std::vector<type_system::FieldDefinition> parse_fields_definition() {
    std::vector<type_system::FieldDefinition> fields;
    if (skip(TokenKind::kBraceLeft)) {
      do {
        fields.push_back(parse_field_definition());
      } while (!skip(TokenKind::kBraceRight));
    }
    return fields;
  }

  type_system::FieldDefinition parse_field_definition() {
    type_system::FieldDefinition field;
    field.location = token_.location;
    field.description = parse_description();
    field.name = parse_name();
    field.arguments = parse_argument_definitions();
    expect(TokenKind::kColon);
    field.type = parse_type_reference();
    field.directives = parse_directives(true);
    return field;
  }

  std::vector<type_system::InputValueDefinition> parse_argument_definitions() {
    std::vector<type_system::InputValueDefinition> arguments;
    if (skip(TokenKind::kParenLeft)) {
      do {
        arguments.push_back(parse_input_value_definition());
      } while (!skip(TokenKind::kParenRight));
    }
    return arguments;
  }

  type_system::InputValueDefinition parse_input_value_definition() {
    type_system::InputValueDefinition input;
    input.location = token_.location;
    input.description = parse_description();
    input.name = parse_name();
    expect(TokenKind::kColon);
    input.type = parse_type_reference();
    if (skip(TokenKind::kEquals)) {
      input.default_value = parse_value_literal(true);
    }
    input.directives = parse_directives(true);
    return input;
  }

  type_system::ObjectTypeDefinition parse_object_type_definition() {
    type_system::ObjectTypeDefinition object;
    object.location = token_.location;
    object.description = parse_description();
    expect_keyword("type");
    object.name = parse_name();
    object.interfaces = parse_implements_interfaces();
    object.directives = parse_directives(true);
    object.fields = parse_fields_definition();
    return object;
  }

  type_system::InterfaceTypeDefinition parse_interface_type_definition() {
    type_system::InterfaceTypeDefinition interface;
    interface.location = token_.location;
    interface.description = parse_description();
    expect_keyword("interface");
    interface.name = parse_name();
    interface.interfaces = parse_implements_interfaces();
    interface.directives = parse_directives(true);
    interface.fields = parse_fields_definition();
    return interface;
  }

  // "= A | B", with an optional leading "|"; nothing at all is allowed too.
  std::vector<type_system::Name> parse_union_members() {
    std::vector<type_system::Name> members;
    if (skip(TokenKind::kEquals)) {
      skip(TokenKind::kPipe);
      do {
        members.push_back(parse_type_name());
      } while (skip(TokenKind::kPipe));
    }
    return members;
  }

  type_system::UnionTypeDefinition parse_union_type_definition() {
    type_system::UnionTypeDefinition union_type;
    union_type.location = token_.location;
    union_type.description = parse_description();
    expect_keyword("union");
    union_type.name = parse_name();
    union_type.directives = parse_directives(true);
    union_type.members = parse_union_members();
    return union_type;
  }

  std::vector<type_system::EnumValueDefinition> parse_enum_values_definition() {
    std::vector<type_system::EnumValueDefinition> values;
    if (skip(TokenKind::kBraceLeft)) {
      do {
        type_system::EnumValueDefinition value;
        value.location = token_.location;
        value.description = parse_description();
        if (peek_keyword("true") || peek_keyword("false") || peek_keyword("null")) {
          throw ParseError(describe(token_) + " is reserved and cannot be used for an enum value.",
                           token_.location);
        }
        value.name = parse_name();
        value.directives = parse_directives(true);
        values.push_back(std::move(value));
      } while (!skip(TokenKind::kBraceRight));
    }
    return values;
  }

  type_system::EnumTypeDefinition parse_enum_type_definition() {
    type_system::EnumTypeDefinition enum_type;
    enum_type.location = token_.location;
    enum_type.description = parse_description();
    expect_keyword("enum");
    enum_type.name = parse_name();
    enum_type.directives = parse_directives(true);
    enum_type.values = parse_enum_values_definition();
    return enum_type;
  }

  std::vector<type_system::InputValueDefinition> parse_input_fields_definition() {
    std::vector<type_system::InputValueDefinition> fields;
    if (skip(TokenKind::kBraceLeft)) {
      do {
        fields.push_back(parse_input_value_definition());
      } while (!skip(TokenKind::kBraceRight));
    }
    return fields;
  }

  type_system::InputObjectTypeDefinition parse_input_object_type_definition() {
    type_system::InputObjectTypeDefinition input;
    input.location = token_.location;
    input.description = parse_description();
    expect_keyword("input");
    input.name = parse_name();
    input.directives = parse_directives(true);
    input.fields = parse_input_fields_definition();
    return input;
  }

  type_system::DirectiveDefinition parse_directive_definition() {
    type_system::DirectiveDefinition directive;
    directive.location = token_.location;
    directive.description = parse_description();
    expect_keyword("directive");
    expect(TokenKind::kAt);
    directive.name = parse_name();
    directive.arguments = parse_argument_definitions();
    directive.repeatable = skip_keyword("repeatable");
    expect_keyword("on");
    skip(TokenKind::kPipe);
    do {
      const Token location = token_;
      type_system::Name name = parse_type_name();
      if (!is_directive_location(name.value)) {
        unexpected(location);
      }
      directive.locations.push_back(std::move(name));
    } while (skip(TokenKind::kPipe));
    return directive;
  }

  // "extend" then the keyword of what it extends; an extension must add something.
  Definition parse_type_system_extension() {
    const Token& keyword = peek_next();
    if (keyword.kind != TokenKind::kName) {
      unexpected(keyword);
    }
    const std::string word = keyword.value;
    const SourceLocation location = token_.location;
    if (word == "schema") {
      advance();
      advance();
      type_system::SchemaDefinition schema;
      schema.location = location;
      schema.extension = true;
      schema.directives = parse_directives(true);
      if (skip(TokenKind::kBraceLeft)) {
        do {
          schema.operation_types.push_back(parse_root_operation_type());
        } while (!skip(TokenKind::kBraceRight));
      }
      require_extension_content(schema.directives.empty() && schema.operation_types.empty());
      return schema;
    }
    if (word == "scalar") {
      advance();
      type_system::ScalarTypeDefinition scalar = parse_scalar_type_definition();
      scalar.location = location;
      scalar.extension = true;
      require_extension_content(scalar.directives.empty());
      return scalar;
    }
    if (word == "type") {
      advance();
      type_system::ObjectTypeDefinition object = parse_object_type_definition();
      object.location = location;
      object.extension = true;
      require_extension_content(object.interfaces.empty() && object.directives.empty() &&
                                object.fields.empty());
      return object;
    }
    if (word == "interface") {
      advance();
      type_system::InterfaceTypeDefinition interface = parse_interface_type_definition();
      interface.location = location;
      interface.extension = true;
      require_extension_content(interface.interfaces.empty() && interface.directives.empty() &&
                                interface.fields.empty());
      return interface;
    }
    if (word == "union") {
      advance();
      type_system::UnionTypeDefinition union_type = parse_union_type_definition();
      union_type.location = location;
      union_type.extension = true;
      require_extension_content(union_type.directives.empty() && union_type.members.empty());
      return union_type;
    }
    if (word == "enum") {
      advance();
      type_system::EnumTypeDefinition enum_type = parse_enum_type_definition();
      enum_type.location = location;
      enum_type.extension = true;
      require_extension_content(enum_type.directives.empty() && enum_type.values.empty());
      return enum_type;
    }
    if (word == "input") {
      advance();
      type_system::InputObjectTypeDefinition input = parse_input_object_type_definition();
      input.location = location;
      input.extension = true;
      require_extension_content(input.directives.empty() && input.fields.empty());
      return input;
    }
    unexpected(keyword);
  }

  // An extension that adds nothing fails at the token after it.
  void require_extension_content(bool empty) const {
    if (empty) {
      unexpected(token_);
    }
  }

  // ---- Selections ----

  SelectionSet parse_selection_set() {
    SelectionSet set;
    set.location = token_.location;
    expect(TokenKind::kBraceLeft);
    const NestingGuard guard(*this, set.location);
    do {
      set.selections.push_back(parse_selection());
    } while (!skip(TokenKind::kBraceRight));
    return set;
  }

  Selection parse_selection() {
    if (peek(TokenKind::kSpread)) {
      return parse_fragment();
    }
    return parse_field();
  }

  Field parse_field() {
    Field field;
    field.location = token_.location;
    std::string name_or_alias = parse_name();
    if (skip(TokenKind::kColon)) {
      field.alias = std::move(name_or_alias);
      field.name = parse_name();
    } else {
      field.name = std::move(name_or_alias);
    }
    field.arguments = parse_arguments(false);
    field.directives = parse_directives(false);
    if (peek(TokenKind::kBraceLeft)) {
      field.selection_set = parse_selection_set();
    }
    return field;
  }

  Selection parse_fragment() {
    const SourceLocation location = token_.location;
    expect(TokenKind::kSpread);
    const bool has_type_condition = skip_keyword("on");
    if (!has_type_condition && peek(TokenKind::kName)) {
      FragmentSpread spread;
      spread.location = location;
      spread.name_location = token_.location;
      spread.name = parse_fragment_name();
      spread.directives = parse_directives(false);
      return spread;
    }
    InlineFragment fragment;
    fragment.location = location;
    if (has_type_condition) {
      fragment.type_condition = parse_type_condition();
    }
    fragment.directives = parse_directives(false);
    fragment.selection_set = parse_selection_set();
    return fragment;
  }

  // ---- Arguments and directives ----

  std::vector<Argument> parse_arguments(bool is_const) {
    std::vector<Argument> arguments;
    if (skip(TokenKind::kParenLeft)) {
      do {
        Argument argument;
        argument.location = token_.location;
        argument.name = parse_name();
        expect(TokenKind::kColon);
        argument.value = parse_value_literal(is_const);
        arguments.push_back(std::move(argument));
      } while (!skip(TokenKind::kParenRight));
    }
    return arguments;
  }

  std::vector<Directive> parse_directives(bool is_const) {
    std::vector<Directive> directives;
    while (peek(TokenKind::kAt)) {
      Directive directive;
      directive.location = advance().location;
      directive.name = parse_name();
      directive.arguments = parse_arguments(is_const);
      directives.push_back(std::move(directive));
    }
    return directives;
  }

  // ---- Values ----

  Value parse_value_literal(bool is_const) {
    const SourceLocation location = token_.location;
    switch (token_.kind) {
      case TokenKind::kBracketLeft:
        return parse_list(is_const);
      case TokenKind::kBraceLeft:
        return parse_object(is_const);
      case TokenKind::kInt:
        return Value{IntValue{advance().value}, location};
      case TokenKind::kFloat:
        return Value{FloatValue{advance().value}, location};
      case TokenKind::kString:
        return Value{StringValue{advance().value, false}, location};
      case TokenKind::kBlockString:
        return Value{StringValue{advance().value, true}, location};
      case TokenKind::kName: {
        std::string name = advance().value;
        if (name == "true") {
          return Value{BooleanValue{true}, location};
        }
        if (name == "false") {
          return Value{BooleanValue{false}, location};
        }
        if (name == "null") {
          return Value{NullValue{}, location};
        }
        return Value{EnumValue{std::move(name)}, location};
      }
      case TokenKind::kDollar:
        if (is_const) {
          const Token dollar = advance();
          if (peek(TokenKind::kName)) {
            throw ParseError("Unexpected variable \"$" + token_.value + "\" in constant value.",
                             dollar.location);
          }
          unexpected(dollar);
        }
        return Value{Variable{parse_variable_name()}, location};
      default:
        unexpected(token_);
    }
  }

  Value parse_list(bool is_const) {
    const SourceLocation location = token_.location;
    expect(TokenKind::kBracketLeft);
    const NestingGuard guard(*this, location);
    ListValue list;
    while (!skip(TokenKind::kBracketRight)) {
      list.values.push_back(parse_value_literal(is_const));
    }
    return Value{std::move(list), location};
  }

  Value parse_object(bool is_const) {
    const SourceLocation location = token_.location;
    expect(TokenKind::kBraceLeft);
    const NestingGuard guard(*this, location);
    ObjectValue object;
    while (!skip(TokenKind::kBraceRight)) {
      ObjectField field;
      field.location = token_.location;
      field.name = parse_name();
      expect(TokenKind::kColon);
      field.value = parse_value_literal(is_const);
      object.fields.push_back(std::move(field));
    }
    return Value{std::move(object), location};
  }

  // ---- Types ----

  Type parse_type_reference() {
    const SourceLocation location = token_.location;
    Type type;
    if (peek(TokenKind::kBracketLeft)) {
      advance();
      const NestingGuard guard(*this, location);
      Type item_type = parse_type_reference();
      expect(TokenKind::kBracketRight);
      type = Type{ListType{std::move(item_type)}, location};
    } else {
      type = Type{NamedType{parse_name()}, location};
    }
    if (skip(TokenKind::kBang)) {
      return Type{NonNullType{std::move(type)}, location};
    }
    return type;
  }

  Lexer lexer_;
  const ParseOptions& options_;
  Token token_;
  std::optional<Token> lookahead_;
  std::size_t token_count_ = 0;
  std::size_t depth_ = 0;
};

}  // namespace

Document parse(std::string_view source, const ParseOptions& options) {
  return Parser(source, options).parse_document();
}

Value parse_value(std::string_view source, const ParseOptions& options) {
  return Parser(source, options).parse_single_value(false);
}

Value parse_const_value(std::string_view source, const ParseOptions& options) {
  return Parser(source, options).parse_single_value(true);
}

Type parse_type(std::string_view source, const ParseOptions& options) {
  return Parser(source, options).parse_single_type();
}

}  // namespace choreo::graphql
