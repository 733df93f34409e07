#include "api/prepared_operation_cache.hpp"

namespace choreo::order_service {
namespace {

// The operation name's presence, its length and itself, then the document: no two different
// requests share a key.
std::string cache_key(std::string_view query, const std::optional<std::string>& operation_name) {
  std::string key;
  key.reserve(query.size() + (operation_name ? operation_name->size() + 12 : 1));
  if (operation_name) {
    key += std::to_string(operation_name->size());
    key += ':';
    key += *operation_name;
  } else {
    key += '-';
  }
  key += query;
  return key;
}

}  // namespace

PreparedOperationCache::PreparedOperationCache(const graphql::Schema& schema,
                                               graphql::RequestLimits limits, std::size_t capacity)
    : schema_(schema), limits_(limits), operations_(capacity) {}

graphql::Preparation PreparedOperationCache::prepare(
    std::string_view query, const std::optional<std::string>& operation_name) {
  if (query.size() > kMaxCachedDocumentBytes) {
    return graphql::prepare(schema_, query, operation_name, limits_);
  }
  auto key = cache_key(query, operation_name);
  if (auto operation = operations_.find(key)) {
    graphql::Preparation preparation;
    preparation.prepared = std::move(*operation);
    return preparation;
  }
  auto preparation = graphql::prepare(schema_, query, operation_name, limits_);
  if (preparation.prepared) {
    operations_.put(key, *preparation.prepared);
  }
  return preparation;
}

}  // namespace choreo::order_service
