#pragma once

#include <cstdint>

namespace choreo::graphql {

// A position in a GraphQL document, as clients and tools report it: both numbers start at 1, and
// columns count Unicode code points (a tab is one column), not bytes.
struct SourceLocation {
  std::uint32_t line = 1;
  std::uint32_t column = 1;

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

}  // namespace choreo::graphql
