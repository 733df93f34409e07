#include "db/lease_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace choreo::db {
namespace {

struct FakeConnection {
  int serial = 0;
  bool open = true;
};

LeasePool<FakeConnection> make_pool(std::size_t capacity, std::atomic<int>& made) {
  return LeasePool<FakeConnection>(
      capacity,
      [&made] {
        return std::make_unique<FakeConnection>(FakeConnection{++made, true});
      },
      [](const FakeConnection& connection) { return connection.open; });
}

TEST(LeasePool, CreatesLazilyAndReusesReturnedResources) {
  std::atomic<int> made{0};
  auto pool = make_pool(2, made);
  EXPECT_EQ(made, 0);
  int first_serial = 0;
  {
    auto lease = pool.acquire(std::chrono::milliseconds(10));
    first_serial = lease->serial;
  }
  auto again = pool.acquire(std::chrono::milliseconds(10));
  EXPECT_EQ(again->serial, first_serial);
  EXPECT_EQ(made, 1);
}

TEST(LeasePool, LeasesAreExclusiveAndTimeOutWhenExhausted) {
  std::atomic<int> made{0};
  auto pool = make_pool(2, made);
  auto a = pool.acquire(std::chrono::milliseconds(10));
  auto b = pool.acquire(std::chrono::milliseconds(10));
  EXPECT_NE(a->serial, b->serial);
  EXPECT_THROW(pool.acquire(std::chrono::milliseconds(20)), PoolTimeout);
}

TEST(LeasePool, WaiterGetsResourceReturnedByAnotherThread) {
  std::atomic<int> made{0};
  auto pool = make_pool(1, made);
  auto held = std::make_unique<LeasePool<FakeConnection>::Lease>(
      pool.acquire(std::chrono::milliseconds(10)));
  auto waiter =
      std::async(std::launch::async, [&] { return pool.acquire(std::chrono::seconds(5))->serial; });
  held.reset();
  EXPECT_EQ(waiter.get(), 1);
}

TEST(LeasePool, BrokenLeaseIsReplacedByAFreshResource) {
  std::atomic<int> made{0};
  auto pool = make_pool(1, made);
  {
    auto lease = pool.acquire(std::chrono::milliseconds(10));
    lease.mark_broken();
  }
  EXPECT_EQ(pool.created(), 0u);
  auto fresh = pool.acquire(std::chrono::milliseconds(10));
  EXPECT_EQ(fresh->serial, 2);
}

TEST(LeasePool, IdleResourceThatWentStaleIsNotHandedOut) {
  std::atomic<int> made{0};
  auto pool = make_pool(1, made);
  FakeConnection* raw = nullptr;
  {
    auto lease = pool.acquire(std::chrono::milliseconds(10));
    raw = &lease.get();
  }
  raw->open = false;  // the server closed it while idle
  auto lease = pool.acquire(std::chrono::milliseconds(10));
  EXPECT_EQ(lease->serial, 2);
  EXPECT_TRUE(lease->open);
}

TEST(LeasePool, FactoryFailureFreesTheSlot) {
  int attempts = 0;
  LeasePool<FakeConnection> pool(
      1,
      [&attempts]() -> std::unique_ptr<FakeConnection> {
        if (++attempts == 1)
          throw std::runtime_error("connection refused");
        return std::make_unique<FakeConnection>();
      },
      [](const FakeConnection&) { return true; });
  EXPECT_THROW(pool.acquire(std::chrono::milliseconds(10)), std::runtime_error);
  EXPECT_NO_THROW(pool.acquire(std::chrono::milliseconds(10)));
}

}  // namespace
}  // namespace choreo::db
