#include "graphql/token.hpp"

namespace choreo::graphql {

bool is_punctuator(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEndOfFile:
    case TokenKind::kName:
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kString:
    case TokenKind::kBlockString:
      return false;
    default:
      return true;
  }
}

std::string_view token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEndOfFile:
      return "<EOF>";
    case TokenKind::kBang:
      return "!";
    case TokenKind::kDollar:
      return "$";
    case TokenKind::kAmpersand:
      return "&";
    case TokenKind::kParenLeft:
      return "(";
    case TokenKind::kParenRight:
      return ")";
    case TokenKind::kSpread:
      return "...";
    case TokenKind::kColon:
      return ":";
    case TokenKind::kEquals:
      return "=";
    case TokenKind::kAt:
      return "@";
    case TokenKind::kBracketLeft:
      return "[";
    case TokenKind::kBracketRight:
      return "]";
    case TokenKind::kBraceLeft:
      return "{";
    case TokenKind::kPipe:
      return "|";
    case TokenKind::kBraceRight:
      return "}";
    case TokenKind::kName:
      return "Name";
    case TokenKind::kInt:
      return "Int";
    case TokenKind::kFloat:
      return "Float";
    case TokenKind::kString:
      return "String";
    case TokenKind::kBlockString:
      return "BlockString";
  }
  return "?";
}

std::string describe_kind(TokenKind kind) {
  std::string name(token_kind_name(kind));
  return is_punctuator(kind) ? "\"" + name + "\"" : name;
}

std::string describe(const Token& token) {
  std::string text = describe_kind(token.kind);
  const bool has_value = token.kind == TokenKind::kName || token.kind == TokenKind::kInt ||
                         token.kind == TokenKind::kFloat || token.kind == TokenKind::kString ||
                         token.kind == TokenKind::kBlockString;
  if (has_value) {
    text += " \"" + token.value + "\"";
  }
  return text;
}

}  // namespace choreo::graphql
