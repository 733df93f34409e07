#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace choreo::graphql {

struct DecodedCodePoint {
  char32_t code_point = 0;
  std::size_t length = 0;  // bytes taken by the encoding, 1 to 4
};

// Decodes the UTF-8 sequence that starts at `offset`. Surrogates (U+D800..U+DFFF, which UTF-8 must
// not encode) are decoded anyway so the caller can name them in its error; truncated, overlong or
// out-of-range sequences, and stray continuation bytes, give nullopt.
std::optional<DecodedCodePoint> decode_utf8(std::string_view text, std::size_t offset);

bool is_unicode_scalar_value(char32_t code_point);

// Appends the UTF-8 encoding of a Unicode scalar value.
void append_utf8(std::string& out, char32_t code_point);

}  // namespace choreo::graphql
