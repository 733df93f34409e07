#include "graphql/lexer.hpp"

#include <cstdint>
#include <cstdio>
#include <utility>

#include "graphql/block_string.hpp"
#include "graphql/syntax_error.hpp"
#include "graphql/utf8.hpp"

namespace choreo::graphql {

namespace {

constexpr int kEnd = -1;

bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
bool is_letter(int c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_name_start(int c) {
  return is_letter(c) || c == '_';
}
bool is_name_continue(int c) {
  return is_name_start(c) || is_digit(c);
}

// Value of a hexadecimal digit, or -1.
int hex_value(int c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool is_leading_surrogate(char32_t c) {
  return c >= 0xD800 && c <= 0xDBFF;
}
bool is_trailing_surrogate(char32_t c) {
  return c >= 0xDC00 && c <= 0xDFFF;
}

std::string code_point_name(char32_t code_point) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code_point));
  return buffer;
}

}  // namespace

Lexer::Lexer(std::string_view source) : source_(source), locations_(source) {}

int Lexer::at(std::size_t position) const {
  return position < source_.size() ? static_cast<unsigned char>(source_[position]) : kEnd;
}

void Lexer::fail(std::size_t position, const std::string& description) {
  throw ParseError(description, locations_.locate(position));
}

std::string Lexer::describe_character(std::size_t position) const {
  const int c = at(position);
  if (c == kEnd) {
    return "<EOF>";
  }
  if (c >= 0x20 && c <= 0x7E) {
    return c == '"' ? "'\"'" : "\"" + std::string(1, static_cast<char>(c)) + "\"";
  }
  if (const auto decoded = decode_utf8(source_, position)) {
    return code_point_name(decoded->code_point);
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "0x%02X (not UTF-8)", static_cast<unsigned>(c));
  return buffer;
}

std::string_view Lexer::slice(std::size_t position, std::size_t count) const {
  std::size_t end = position;
  for (std::size_t i = 0; i < count && end < source_.size(); ++i) {
    const auto decoded = decode_utf8(source_, end);
    end += decoded ? decoded->length : 1;
  }
  return source_.substr(position, end - position);
}

void Lexer::fail_unexpected_character(std::size_t position) {
  const int c = at(position);
  if (c == '\'') {
    fail(position,
         "Unexpected single quote character ('), did you mean to use a double quote (\")?");
  }
  const auto decoded = decode_utf8(source_, position);
  if (decoded && is_unicode_scalar_value(decoded->code_point)) {
    fail(position, "Unexpected character: " + describe_character(position) + ".");
  }
  fail(position, "Invalid character: " + describe_character(position) + ".");
}

Token Lexer::make_token(TokenKind kind, std::size_t start, std::size_t length, std::string value) {
  position_ = start + length;
  return Token{kind, std::move(value), locations_.locate(start)};
}

void Lexer::skip_ignored() {
  while (position_ < source_.size()) {
    const int c = at(position_);
    if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r') {
      ++position_;
    } else if (c == 0xEF && at(position_ + 1) == 0xBB && at(position_ + 2) == 0xBF) {
      position_ += 3;  // U+FEFF, the byte order mark, is ignored anywhere
    } else if (c == '#') {
      ++position_;
      while (position_ < source_.size()) {
        const int d = at(position_);
        if (d == '\n' || d == '\r') {
          break;
        }
        if (d < 0x80) {
          ++position_;
          continue;
        }
        const auto decoded = decode_utf8(source_, position_);
        if (!decoded || !is_unicode_scalar_value(decoded->code_point)) {
          break;  // not a source character: the comment ends, and next() reports it
        }
        position_ += decoded->length;
      }
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  skip_ignored();
  const std::size_t start = position_;
  const int c = at(start);
  switch (c) {
    case kEnd:
      return make_token(TokenKind::kEndOfFile, start, 0);
    case '!':
      return make_token(TokenKind::kBang, start, 1);
    case '$':
      return make_token(TokenKind::kDollar, start, 1);
    case '&':
      return make_token(TokenKind::kAmpersand, start, 1);
    case '(':
      return make_token(TokenKind::kParenLeft, start, 1);
    case ')':
      return make_token(TokenKind::kParenRight, start, 1);
    case ':':
      return make_token(TokenKind::kColon, start, 1);
    case '=':
      return make_token(TokenKind::kEquals, start, 1);
    case '@':
      return make_token(TokenKind::kAt, start, 1);
    case '[':
      return make_token(TokenKind::kBracketLeft, start, 1);
    case ']':
      return make_token(TokenKind::kBracketRight, start, 1);
    case '{':
      return make_token(TokenKind::kBraceLeft, start, 1);
    case '|':
      return make_token(TokenKind::kPipe, start, 1);
    case '}':
      return make_token(TokenKind::kBraceRight, start, 1);
    case '.':
      if (at(start + 1) == '.' && at(start + 2) == '.') {
        return make_token(TokenKind::kSpread, start, 3);
      }
      break;
    case '"':
      if (at(start + 1) == '"' && at(start + 2) == '"') {
        return read_block_string(start);
      }
      return read_string(start);
    default:
      break;
  }
  if (is_name_start(c)) {
    return read_name(start);
  }
  if (is_digit(c) || c == '-') {
    return read_number(start);
  }
  fail_unexpected_character(start);
}

Token Lexer::read_name(std::size_t start) {
  std::size_t end = start + 1;
  while (is_name_continue(at(end))) {
    ++end;
  }
  return make_token(TokenKind::kName, start, end - start,
                    std::string(source_.substr(start, end - start)));
}

std::size_t Lexer::read_digits(std::size_t position) {
  if (!is_digit(at(position))) {
    fail(position, "Invalid number, expected digit but got: " + describe_character(position) + ".");
  }
  while (is_digit(at(position))) {
    ++position;
  }
  return position;
}

Token Lexer::read_number(std::size_t start) {
  std::size_t position = start;
  bool is_float = false;
  if (at(position) == '-') {
    ++position;
  }
  if (at(position) == '0') {
    ++position;
    if (is_digit(at(position))) {
      fail(position,
           "Invalid number, unexpected digit after 0: " + describe_character(position) + ".");
    }
  } else {
    position = read_digits(position);
  }
  if (at(position) == '.') {
    is_float = true;
    position = read_digits(position + 1);
  }
  if (at(position) == 'e' || at(position) == 'E') {
    is_float = true;
    ++position;
    if (at(position) == '+' || at(position) == '-') {
      ++position;
    }
    position = read_digits(position);
  }
  // "1.2.3", "12abc" or "0x1F" must not silently become two tokens.
  if (at(position) == '.' || is_name_start(at(position))) {
    fail(position, "Invalid number, expected digit but got: " + describe_character(position) + ".");
  }
  return make_token(is_float ? TokenKind::kFloat : TokenKind::kInt, start, position - start,
                    std::string(source_.substr(start, position - start)));
}

std::size_t Lexer::string_character_length(std::size_t position) {
  if (at(position) < 0x80) {
    return 1;
  }
  const auto decoded = decode_utf8(source_, position);
  if (!decoded || !is_unicode_scalar_value(decoded->code_point)) {
    fail(position, "Invalid character within String: " + describe_character(position) + ".");
  }
  return decoded->length;
}

Token Lexer::read_string(std::size_t start) {
  std::string value;
  std::size_t position = start + 1;
  std::size_t chunk_start = position;
  while (position < source_.size()) {
    const int c = at(position);
    if (c == '"') {
      value.append(source_.substr(chunk_start, position - chunk_start));
      return make_token(TokenKind::kString, start, position + 1 - start, std::move(value));
    }
    if (c == '\\') {
      value.append(source_.substr(chunk_start, position - chunk_start));
      position += read_escape(position, value);
      chunk_start = position;
      continue;
    }
    if (c == '\n' || c == '\r') {
      break;
    }
    position += string_character_length(position);
  }
  fail(position, "Unterminated string.");
}

std::size_t Lexer::read_escape(std::size_t position, std::string& value) {
  const int c = at(position + 1);
  switch (c) {
    case '"':
      value.push_back('"');
      return 2;
    case '\\':
      value.push_back('\\');
      return 2;
    case '/':
      value.push_back('/');
      return 2;
    case 'b':
      value.push_back('\b');
      return 2;
    case 'f':
      value.push_back('\f');
      return 2;
    case 'n':
      value.push_back('\n');
      return 2;
    case 'r':
      value.push_back('\r');
      return 2;
    case 't':
      value.push_back('\t');
      return 2;
    case 'u':
      return at(position + 2) == '{' ? read_variable_width_unicode_escape(position, value)
                                     : read_fixed_width_unicode_escape(position, value);
    default:
      fail(position,
           "Invalid character escape sequence: \"" + std::string(slice(position, 2)) + "\".");
  }
}

std::size_t Lexer::read_fixed_width_unicode_escape(std::size_t position, std::string& value) {
  // Four hex digits after "\u"; -1 when one of them is not a hex digit.
  auto read_hex4 = [this](std::size_t digits) -> std::int32_t {
    std::int32_t code = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const int digit = hex_value(at(digits + i));
      if (digit < 0) {
        return -1;
      }
      code = code * 16 + digit;
    }
    return code;
  };
  const std::int32_t code = read_hex4(position + 2);
  if (code >= 0) {
    const auto code_point = static_cast<char32_t>(code);
    if (is_unicode_scalar_value(code_point)) {
      append_utf8(value, code_point);
      return 6;
    }
    // A surrogate pair written as two escapes, as JSON does, is one character; a lone surrogate
    // is not a character at all.
    if (is_leading_surrogate(code_point) && at(position + 6) == '\\' && at(position + 7) == 'u') {
      const std::int32_t trailing = read_hex4(position + 8);
      if (trailing >= 0 && is_trailing_surrogate(static_cast<char32_t>(trailing))) {
        append_utf8(value, 0x10000 + ((code_point - 0xD800) << 10U) +
                               (static_cast<char32_t>(trailing) - 0xDC00));
        return 12;
      }
    }
  }
  fail(position, "Invalid Unicode escape sequence: \"" + std::string(slice(position, 6)) + "\".");
}

std::size_t Lexer::read_variable_width_unicode_escape(std::size_t position, std::string& value) {
  // "\u{" then hex digits then "}"; at most 12 characters in all ("\u{00000000}").
  std::uint32_t code = 0;
  std::size_t size = 3;
  while (size < 12) {
    const int c = at(position + size);
    ++size;
    if (c == '}') {
      if (size < 5 || !is_unicode_scalar_value(code)) {
        break;  // "\u{}" or not a character
      }
      append_utf8(value, code);
      return size;
    }
    const int digit = hex_value(c);
    if (digit < 0) {
      break;
    }
    code = (code << 4U) | static_cast<std::uint32_t>(digit);
    if (code > 0x7FFFFFFFU) {
      break;  // far beyond U+10FFFF already
    }
  }
  fail(position,
       "Invalid Unicode escape sequence: \"" + std::string(slice(position, size)) + "\".");
}

Token Lexer::read_block_string(std::size_t start) {
  std::string raw;
  std::size_t position = start + 3;
  std::size_t chunk_start = position;
  while (position < source_.size()) {
    const int c = at(position);
    if (c == '"' && at(position + 1) == '"' && at(position + 2) == '"') {
      raw.append(source_.substr(chunk_start, position - chunk_start));
      return make_token(TokenKind::kBlockString, start, position + 3 - start,
                        block_string_value(raw));
    }
    if (c == '\\' && at(position + 1) == '"' && at(position + 2) == '"' &&
        at(position + 3) == '"') {
      // \""" is the only escape in a block string.
      raw.append(source_.substr(chunk_start, position - chunk_start));
      raw.append("\"\"\"");
      position += 4;
      chunk_start = position;
      continue;
    }
    position += string_character_length(position);
  }
  fail(position, "Unterminated string.");
}

}  // namespace choreo::graphql
