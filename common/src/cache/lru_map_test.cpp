#include "cache/lru_map.hpp"

#include <gtest/gtest.h>

#include <string>

namespace choreo::cache {
namespace {

TEST(LruMap, FindsWhatWasPut) {
  LruMap<int> map(4);
  EXPECT_FALSE(map.find("a"));
  map.put("a", 1);
  map.put("b", 2);
  EXPECT_EQ(map.find("a"), 1);
  EXPECT_EQ(map.find("b"), 2);
  map.put("a", 3);  // replaces
  EXPECT_EQ(map.find("a"), 3);
  EXPECT_EQ(map.size(), 2u);
}

TEST(LruMap, ForgetsTheLeastRecentlyUsedWhenFull) {
  LruMap<int> map(2);
  map.put("a", 1);
  map.put("b", 2);
  ASSERT_TRUE(map.find("a"));  // now b is the least recently used
  map.put("c", 3);
  EXPECT_TRUE(map.find("a"));
  EXPECT_FALSE(map.find("b"));
  EXPECT_TRUE(map.find("c"));
  EXPECT_EQ(map.size(), 2u);
}

TEST(LruMap, ErasesAndHoldsNothingWithoutCapacity) {
  LruMap<std::string> map(2);
  map.put("a", "x");
  map.erase("a");
  map.erase("never there");
  EXPECT_FALSE(map.find("a"));
  EXPECT_EQ(map.size(), 0u);

  LruMap<int> none(0);
  none.put("a", 1);
  EXPECT_FALSE(none.find("a"));
}

}  // namespace
}  // namespace choreo::cache
