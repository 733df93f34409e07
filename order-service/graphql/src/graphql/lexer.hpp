#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "graphql/location_finder.hpp"
#include "graphql/token.hpp"

namespace choreo::graphql {

// Splits a GraphQL document (UTF-8) into tokens, skipping what the spec calls ignored tokens:
// byte order marks, white space, line terminators, commas and comments. Follows the October 2021
// spec: any Unicode scalar value may appear inside strings and comments; outside them only
// tokens and ignored tokens may. Errors are ParseError, located where the offending character is.
//
// The source must outlive the lexer.
class Lexer {
 public:
  explicit Lexer(std::string_view source);

  // The next token; once the source is exhausted, an end-of-file token every time.
  Token next();

  std::string_view source() const { return source_; }

 private:
  void skip_ignored();
  Token make_token(TokenKind kind, std::size_t start, std::size_t length, std::string value = {});
  Token read_name(std::size_t start);
  Token read_number(std::size_t start);
  std::size_t read_digits(std::size_t position);
  Token read_string(std::size_t start);
  Token read_block_string(std::size_t start);
  // Appends the character an escape sequence at `position` (a backslash) stands for and returns
  // the length of the sequence.
  std::size_t read_escape(std::size_t position, std::string& value);
  std::size_t read_fixed_width_unicode_escape(std::size_t position, std::string& value);
  std::size_t read_variable_width_unicode_escape(std::size_t position, std::string& value);
  // Length of a source character that may appear inside a string, or an error naming it.
  std::size_t string_character_length(std::size_t position);

  [[noreturn]] void fail(std::size_t position, const std::string& description);
  [[noreturn]] void fail_unexpected_character(std::size_t position);

  // Byte at `position`, or -1 past the end (so lookahead needs no bounds checks).
  int at(std::size_t position) const;
  // "\"a\"", "'\"'", "U+00E9", "<EOF>": a character as messages show it.
  std::string describe_character(std::size_t position) const;
  // Up to `count` code points starting at `position`, for quoting bad escapes in messages.
  std::string_view slice(std::size_t position, std::size_t count) const;

  std::string_view source_;
  std::size_t position_ = 0;
  LocationFinder locations_;
};

}  // namespace choreo::graphql
