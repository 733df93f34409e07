#pragma once

#include <cstdint>

namespace choreo::graphql {

// A position in a GraphQL document, as clients and tools report it: both numbers start at 1, and
// columns count UTF-16 code units as graphql-js does (a tab is one column, "é" one, an emoji
// beyond U+FFFF two), not bytes.
struct SourceLocation {
  std::uint32_t line = 1;
  std::uint32_t column = 1;

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

}  // namespace choreo::graphql
