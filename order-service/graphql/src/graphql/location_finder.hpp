#pragma once

#include <cstddef>
#include <string_view>

#include "graphql/source_location.hpp"

namespace choreo::graphql {

// Turns byte offsets into line/column positions. It remembers the last answer and walks forward
// from it, so asking for the offsets of a document's tokens in order costs linear time overall;
// asking for an earlier offset starts again from the beginning.
class LocationFinder {
 public:
  explicit LocationFinder(std::string_view source) : source_(source) {}

  SourceLocation locate(std::size_t offset);

 private:
  std::string_view source_;
  std::size_t offset_ = 0;
  SourceLocation location_;
};

}  // namespace choreo::graphql
