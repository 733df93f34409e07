#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

namespace choreo::db {

// No resource became free within the acquire timeout. Transient: the caller retries later.
class PoolTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A fixed-capacity pool handing out exclusive leases of T. Resources are created lazily by the
// factory; a lease returned as unhealthy is destroyed and its slot recreated on next demand, which
// is how a pool of database connections recovers after the server restarts.
// Generic so the leasing logic is unit-tested without a database.
template <typename T>
class LeasePool {
 public:
  using Factory = std::function<std::unique_ptr<T>()>;
  using HealthCheck = std::function<bool(const T&)>;

  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept { *this = std::move(other); }
    Lease& operator=(Lease&& other) noexcept {
      if (this != &other) {
        release();
        pool_ = std::exchange(other.pool_, nullptr);
        resource_ = std::move(other.resource_);
        healthy_ = other.healthy_;
      }
      return *this;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { release(); }

    T& operator*() const { return *resource_; }
    T* operator->() const { return resource_.get(); }
    T& get() const { return *resource_; }
    // The resource is unusable (e.g. its connection broke): it is destroyed on return.
    void mark_broken() { healthy_ = false; }

   private:
    friend class LeasePool;
    Lease(LeasePool* pool, std::unique_ptr<T> resource)
        : pool_(pool), resource_(std::move(resource)) {}
    void release() {
      if (pool_ != nullptr) {
        pool_->give_back(std::move(resource_), healthy_);
        pool_ = nullptr;
      }
    }

    LeasePool* pool_ = nullptr;
    std::unique_ptr<T> resource_;
    bool healthy_ = true;
  };

  LeasePool(std::size_t capacity, Factory factory, HealthCheck is_healthy)
      : capacity_(capacity), factory_(std::move(factory)), is_healthy_(std::move(is_healthy)) {
    if (capacity_ == 0)
      throw std::invalid_argument("pool capacity must be at least 1");
  }
  LeasePool(const LeasePool&) = delete;
  LeasePool& operator=(const LeasePool&) = delete;

  // Waits up to `timeout` for a free slot. The factory runs outside the lock, so a slow connect
  // does not block other callers; if it throws, the slot is given back and the error propagates.
  Lease acquire(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, timeout,
                             [&] { return !idle_.empty() || created_ < capacity_; })) {
      throw PoolTimeout("no database connection became free within " +
                        std::to_string(timeout.count()) + " ms");
    }
    while (!idle_.empty()) {
      auto resource = std::move(idle_.back());
      idle_.pop_back();
      if (is_healthy_(*resource))
        return Lease(this, std::move(resource));
      --created_;  // a stale one: drop it and fall through to create a fresh one
    }
    ++created_;
    lock.unlock();
    try {
      return Lease(this, factory_());
    } catch (...) {
      lock.lock();
      --created_;
      available_.notify_one();
      throw;
    }
  }

  std::size_t capacity() const { return capacity_; }
  std::size_t created() const {
    std::lock_guard lock(mutex_);
    return created_;
  }
  std::size_t idle() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
  }

 private:
  void give_back(std::unique_ptr<T> resource, bool healthy) {
    std::unique_ptr<T> doomed;  // destroyed outside the lock: closing a connection may block
    {
      std::lock_guard lock(mutex_);
      if (healthy && resource && is_healthy_(*resource)) {
        idle_.push_back(std::move(resource));
      } else {
        doomed = std::move(resource);
        --created_;
      }
    }
    available_.notify_one();
  }

  const std::size_t capacity_;
  Factory factory_;
  HealthCheck is_healthy_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<T>> idle_;
  std::size_t created_ = 0;
};

}  // namespace choreo::db
