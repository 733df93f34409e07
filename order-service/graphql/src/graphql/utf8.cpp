#include "graphql/utf8.hpp"

namespace choreo::graphql {

namespace {

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0U) == 0x80U;
}

}  // namespace

std::optional<DecodedCodePoint> decode_utf8(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) {
    return std::nullopt;
  }
  const auto lead = static_cast<unsigned char>(text[offset]);
  if (lead < 0x80U) {
    return DecodedCodePoint{lead, 1};
  }
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t smallest = 0;  // below this the encoding is overlong
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    code_point = lead & 0x1FU;
    smallest = 0x80;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    code_point = lead & 0x0FU;
    smallest = 0x800;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    code_point = lead & 0x07U;
    smallest = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - offset < length) {
    return std::nullopt;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[offset + i]);
    if (!is_continuation(byte)) {
      return std::nullopt;
    }
    code_point = (code_point << 6U) | (byte & 0x3FU);
  }
  if (code_point < smallest || code_point > 0x10FFFF) {
    return std::nullopt;
  }
  return DecodedCodePoint{code_point, length};
}

bool is_unicode_scalar_value(char32_t code_point) {
  return code_point <= 0xD7FF || (code_point >= 0xE000 && code_point <= 0x10FFFF);
}

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0U | (code_point >> 6U)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0U | (code_point >> 12U)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (code_point >> 18U)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 12U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  }
}

}  // namespace choreo::graphql
