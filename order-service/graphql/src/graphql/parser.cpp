#include "graphql/parser.hpp"

#include <optional>
#include <string>
#include <utility>

#include "graphql/lexer.hpp"
#include "graphql/syntax_error.hpp"
#include "graphql/token.hpp"

namespace choreo::graphql {

namespace {

// The keywords that open type-system definitions, and how to name those in a message.
std::optional<std::string_view> type_system_definition_kind(std::string_view keyword) {
  if (keyword == "schema") {
    return "Schema definitions";
  }
  if (keyword == "scalar") {
    return "Scalar type definitions";
  }
  if (keyword == "type") {
    return "Object type definitions";
  }
  if (keyword == "interface") {
    return "Interface type definitions";
  }
  if (keyword == "union") {
    return "Union type definitions";
  }
  if (keyword == "enum") {
    return "Enum type definitions";
  }
  if (keyword == "input") {
    return "Input object type definitions";
  }
  if (keyword == "directive") {
    return "Directive definitions";
  }
  return std::nullopt;
}

// Recursive descent over the executable grammar with one token of lookahead (two where a
// description may precede a definition). Recursion only happens at nesting constructs, and each
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
    const bool has_description = peek(TokenKind::kString) || peek(TokenKind::kBlockString);
    const Token& keyword = has_description ? peek_next() : token_;
    if (keyword.kind == TokenKind::kName) {
      if (const auto kind = type_system_definition_kind(keyword.value)) {
        reject_type_system_definition(*kind);
      }
      if (has_description) {
        throw ParseError(
            "Unexpected description, descriptions are supported only on type definitions.",
            token_.location);
      }
      if (keyword.value == "query" || keyword.value == "mutation" ||
          keyword.value == "subscription") {
        return parse_operation_definition();
      }
      if (keyword.value == "fragment") {
        return parse_fragment_definition();
      }
      if (keyword.value == "extend") {
        reject_type_system_definition("Type system extensions");
      }
    }
    unexpected(keyword);
  }

  // Where the type-system grammar will plug in: until then, such a definition is reported as
  // what it is rather than as an unexpected name.
  [[noreturn]] void reject_type_system_definition(std::string_view kind) {
    throw ParseError(std::string(kind) +
                         " are not executable; a document may only contain operations and "
                         "fragments.",
                     token_.location);
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
    definition.name = parse_variable_name();
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
