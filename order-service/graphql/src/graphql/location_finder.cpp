#include "graphql/location_finder.hpp"

namespace choreo::graphql {

SourceLocation LocationFinder::locate(std::size_t offset) {
  if (offset > source_.size()) {
    offset = source_.size();
  }
  if (offset < offset_) {
    offset_ = 0;
    location_ = SourceLocation{};
  }
  for (; offset_ < offset; ++offset_) {
    const auto byte = static_cast<unsigned char>(source_[offset_]);
    if (byte == '\r') {
      ++location_.line;
      location_.column = 1;
    } else if (byte == '\n') {
      // "\r\n" is one line terminator: the '\r' already started the new line.
      if (offset_ == 0 || source_[offset_ - 1] != '\r') {
        ++location_.line;
      }
      location_.column = 1;
    } else if (byte >= 0xF0U) {
      // A code point beyond U+FFFF: two UTF-16 code units, so two columns (as in graphql-js,
      // whose columns count UTF-16 code units).
      location_.column += 2;
    } else if ((byte & 0xC0U) != 0x80U) {
      // Continuation bytes belong to the code point their lead byte already counted.
      ++location_.column;
    }
  }
  return location_;
}

}  // namespace choreo::graphql
