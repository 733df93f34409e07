#include "graphql/schema.hpp"

namespace choreo::graphql {

Resolved::Resolved(ResultValue leaf) : kind_(Kind::kLeaf), leaf_(std::move(leaf)) {
  // A resolver that hands back a null leaf means null, whichever constructor it used.
  if (leaf_.is_null()) {
    kind_ = Kind::kNull;
  }
}

Resolved Resolved::object(std::any source) {
  Resolved resolved;
  resolved.kind_ = Kind::kObject;
  resolved.source_ = std::move(source);
  return resolved;
}

Resolved Resolved::list(std::vector<Resolved> items) {
  Resolved resolved;
  resolved.kind_ = Kind::kList;
  resolved.items_ = std::move(items);
  return resolved;
}

}  // namespace choreo::graphql
