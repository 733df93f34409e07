#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace choreo::cache {

// A thread-safe map of at most `capacity` entries that forgets the least recently used one to
// make room. For caches on the request path: clients repeat the same few documents and tokens,
// so a small bound keeps nearly every hit while a flood of distinct keys costs bounded memory.
// Values are copied out, so keep them cheap to copy (a shared_ptr, a short string).
template <typename Value>
class LruMap {
 public:
  explicit LruMap(std::size_t capacity) : capacity_(capacity) {}

  std::optional<Value> find(std::string_view key) {
    std::lock_guard lock(mutex_);
    const auto found = index_.find(key);
    if (found == index_.end()) {
      return std::nullopt;
    }
    entries_.splice(entries_.begin(), entries_, found->second);
    return found->second->second;
  }

  void put(const std::string& key, Value value) {
    if (capacity_ == 0) {
      return;
    }
    std::lock_guard lock(mutex_);
    if (const auto found = index_.find(key); found != index_.end()) {
      found->second->second = std::move(value);
      entries_.splice(entries_.begin(), entries_, found->second);
      return;
    }
    if (index_.size() >= capacity_) {
      index_.erase(entries_.back().first);
      entries_.pop_back();
    }
    entries_.emplace_front(key, std::move(value));
    index_.emplace(entries_.front().first, entries_.begin());
  }

  void erase(std::string_view key) {
    std::lock_guard lock(mutex_);
    if (const auto found = index_.find(key); found != index_.end()) {
      entries_.erase(found->second);
      index_.erase(found);
    }
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return index_.size();
  }

 private:
  using Entries = std::list<std::pair<std::string, Value>>;

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  Entries entries_;  // most recently used first
  // Keys view the strings in `entries_` (list nodes never move), so each key is stored once.
  std::unordered_map<std::string_view, typename Entries::iterator> index_;
};

}  // namespace choreo::cache
