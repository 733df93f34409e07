#pragma once

#include <string>
#include <string_view>

#include "graphql/source_location.hpp"

namespace choreo::graphql {

enum class TokenKind {
  kEndOfFile,
  kBang,          // !
  kDollar,        // $
  kAmpersand,     // &
  kParenLeft,     // (
  kParenRight,    // )
  kSpread,        // ...
  kColon,         // :
  kEquals,        // =
  kAt,            // @
  kBracketLeft,   // [
  kBracketRight,  // ]
  kBraceLeft,     // {
  kPipe,          // |
  kBraceRight,    // }
  kName,
  kInt,
  kFloat,
  kString,
  kBlockString,
};

// One lexical token. `value` is the source text for names and numbers and the decoded value for
// strings (escapes resolved, block-string indentation removed); punctuators leave it empty.
struct Token {
  TokenKind kind = TokenKind::kEndOfFile;
  std::string value;
  SourceLocation location;
};

bool is_punctuator(TokenKind kind);

// How the reference implementation names a kind in messages: the punctuator itself ("}"),
// "<EOF>", "Name", "Int", "Float", "String" or "BlockString".
std::string_view token_kind_name(TokenKind kind);

// A kind as it appears in "Expected ..." messages: punctuators are quoted ("\"}\""), others not.
std::string describe_kind(TokenKind kind);

// A token as it appears in "found ..." messages: its kind, then its value in quotes if it has one
// (`Name "foo"`, `"}"`, `<EOF>`).
std::string describe(const Token& token);

}  // namespace choreo::graphql
