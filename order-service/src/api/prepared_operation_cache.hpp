#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "cache/lru_map.hpp"
#include "graphql/executor.hpp"
#include "graphql/schema.hpp"

namespace choreo::order_service {

// graphql::prepare() with a memory: the operations of documents prepared before, by their exact
// text and operation name. Clients send the same few documents over and over with new
// variables; parsing and validating each again cost more than executing it. Only documents that
// passed are remembered (a failure is cheap to find again, and not worth the room), and only
// short ones, so the cache stays small whatever clients send. Thread-safe.
class PreparedOperationCache {
 public:
  static constexpr std::size_t kCapacity = 256;                 // documents
  static constexpr std::size_t kMaxCachedDocumentBytes = 8192;  // longer ones are prepared anew

  PreparedOperationCache(const graphql::Schema& schema, graphql::RequestLimits limits,
                         std::size_t capacity = kCapacity);

  // What graphql::prepare(schema, query, operation_name, limits) returns.
  graphql::Preparation prepare(std::string_view query,
                               const std::optional<std::string>& operation_name);

 private:
  const graphql::Schema& schema_;
  graphql::RequestLimits limits_;
  cache::LruMap<graphql::PreparedOperation> operations_;
};

}  // namespace choreo::order_service
