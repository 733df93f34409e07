#include "api/prepared_operation_cache.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api/order_schema.hpp"

namespace choreo::order_service {
namespace {

class PreparedOperationCacheTest : public ::testing::Test {
 protected:
  graphql::Schema schema_ = build_order_schema();
  PreparedOperationCache cache_{schema_, graphql::RequestLimits{}};
};

TEST_F(PreparedOperationCacheTest, PreparesADocumentOnceAndSharesIt) {
  const std::string query = "query($id: ID!) { order(id: $id) { id status } }";
  const auto first = cache_.prepare(query, std::nullopt);
  ASSERT_TRUE(first.prepared) << (first.errors.empty() ? "" : first.errors[0].message);
  const auto second = cache_.prepare(query, std::nullopt);
  ASSERT_TRUE(second.prepared);
  EXPECT_EQ(first.prepared->document, second.prepared->document);
  EXPECT_EQ(first.prepared->operation, second.prepared->operation);
}

TEST_F(PreparedOperationCacheTest, TheOperationNameIsPartOfTheKey) {
  const std::string query = "query A { products { sku } } query B { orders { id } }";
  const auto a = cache_.prepare(query, std::string("A"));
  const auto b = cache_.prepare(query, std::string("B"));
  ASSERT_TRUE(a.prepared);
  ASSERT_TRUE(b.prepared);
  EXPECT_EQ(a.prepared->operation->name, "A");
  EXPECT_EQ(b.prepared->operation->name, "B");
  // Without a name, a document of two operations is still an error, cached or not.
  EXPECT_FALSE(cache_.prepare(query, std::nullopt).prepared);
  EXPECT_FALSE(cache_.prepare(query, std::string("C")).prepared);
}

TEST_F(PreparedOperationCacheTest, ReportsErrorsEveryTime) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto broken = cache_.prepare("{ order(id: 1) { nope } }", std::nullopt);
    EXPECT_FALSE(broken.prepared);
    EXPECT_FALSE(broken.errors.empty());
    const auto unparsable = cache_.prepare("{ order(", std::nullopt);
    EXPECT_FALSE(unparsable.prepared);
    EXPECT_FALSE(unparsable.errors.empty());
  }
}

TEST_F(PreparedOperationCacheTest, LongDocumentsArePreparedButNotKept) {
  std::string query = "{ products { sku } }";
  query.append(PreparedOperationCache::kMaxCachedDocumentBytes, ' ');
  const auto first = cache_.prepare(query, std::nullopt);
  const auto second = cache_.prepare(query, std::nullopt);
  ASSERT_TRUE(first.prepared);
  ASSERT_TRUE(second.prepared);
  EXPECT_NE(first.prepared->document, second.prepared->document);
}

}  // namespace
}  // namespace choreo::order_service
