// SIGTERM in the middle of a steady stream of orders, to each service in turn: every one exits 0
// within its shutdown bound, and when the stream has drained every order is terminal with each
// effect applied exactly once (a batch finished and acknowledged at shutdown is not redone; one
// handed back is not lost).
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "resilience_fixture.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// SHUTDOWN_TIMEOUT's default: past it a service's watchdog exits 1, so exit code 0 already
// means "within the bound"; the wall-clock check adds the harness's own overhead.
constexpr auto kShutdownBound = 10s;

// Places orders from a few client threads until told to stop (and at least `minimum` of them),
// retrying each identifier until the API accepts it: the order service itself is among the
// services being stopped, and createOrder is idempotent per identifier.
class OrderStream {
 public:
  OrderStream(std::string prefix, std::string sku, int quantity, int minimum, int maximum)
      : prefix_(std::move(prefix)),
        sku_(std::move(sku)),
        quantity_(quantity),
        minimum_(minimum),
        maximum_(maximum) {
    for (int i = 0; i < kClients; ++i)
      clients_.emplace_back([this] { run(); });
  }
  ~OrderStream() { finish(); }

  // Lets the stream end once `minimum` orders were accepted; waits for the clients.
  void finish() {
    finishing_ = true;
    for (auto& client : clients_) {
      if (client.joinable())
        client.join();
    }
  }

  int accepted() const { return accepted_.load(); }
  int refusals() const { return refusals_.load(); }

  static bool bad_card(int n) { return n % 10 == 7; }

 private:
  static constexpr int kClients = 2;

  void run() {
    while (true) {
      const int n = next_.fetch_add(1);
      if (n >= maximum_ || (finishing_ && n >= minimum_))
        return;
      const auto identifier = prefix_ + std::to_string(n) + (bad_card(n) ? "-bad-card" : "");
      const auto give_up = Clock::now() + 60s;
      while (Clock::now() < give_up) {
        if (!created_id(api_create_order(identifier, sku_, quantity_)).empty()) {
          ++accepted_;
          break;
        }
        ++refusals_;
        std::this_thread::sleep_for(100ms);
      }
      // A steady stream, not a burst: the orders keep arriving across every restart.
      std::this_thread::sleep_for(250ms);
    }
  }

  const std::string prefix_;
  const std::string sku_;
  const int quantity_;
  const int minimum_;
  const int maximum_;
  std::atomic<int> next_{0};
  std::atomic<int> accepted_{0};
  std::atomic<int> refusals_{0};
  std::atomic<bool> finishing_{false};
  std::vector<std::thread> clients_;
};

class GracefulShutdownTest : public ResilienceFixture {};

TEST_F(GracefulShutdownTest, SigtermMidLoadLosesNothingAndRepeatsNothing) {
  const auto prefix = "gs-" + unique_suffix() + "-";
  constexpr int kQuantity = 2;
  const auto sku = new_product(10'000);
  const auto orders = orders_named_like(prefix);

  OrderStream stream(prefix, sku, kQuantity, 100, 250);
  const auto in_flight = [&] {
    return count("SELECT count(*) FROM tb_order o WHERE " + orders +
                 " AND o.status NOT IN ('shipped', 'failed')") > 0;
  };
  for (const char* service : kServices) {
    // Stop it while work is under way (the services see orders at each step of the flow).
    ASSERT_TRUE(eventually(in_flight, 20s)) << "orders in flight before stopping " << service;
    const auto signalled = Clock::now();
    harness_->stop(service);
    const auto took = Clock::now() - signalled;
    EXPECT_EQ(harness_->last_exit_code(service), 0) << service << " exits 0 on SIGTERM";
    EXPECT_LT(took, kShutdownBound + 2s)
        << service << " took "
        << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms to stop";
    std::cout << service << " stopped in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms"
              << std::endl;
    harness_->start(service);
  }
  stream.finish();
  const auto placed = count("SELECT count(*) FROM tb_order o WHERE " + orders);
  EXPECT_EQ(placed, stream.accepted()) << "every accepted createOrder has its order row";
  EXPECT_GE(placed, 100);
  std::cout << placed << " orders placed (" << stream.refusals() << " refused attempts retried)"
            << std::endl;

  ASSERT_TRUE(eventually([&] { return !in_flight(); }, 120s))
      << count("SELECT count(*) FROM tb_order o WHERE " + orders +
               " AND o.status NOT IN ('shipped', 'failed')")
      << " orders never finished";
  ASSERT_TRUE(eventually(all_consumers_settled, 30s)) << describe_backlogs();
  expect_invariants(orders, sku, kQuantity);
  EXPECT_EQ(count("SELECT count(*) FROM tb_order o WHERE " + orders +
                  " AND o.status = 'failed' AND o.identifier NOT LIKE '%bad-card'"),
            0)
      << "only the declined cards failed (stock was plentiful)";
  EXPECT_EQ(count("SELECT count(*) FROM tb_order o WHERE " + orders +
                  " AND o.status = 'shipped' AND o.identifier LIKE '%bad-card'"),
            0);
  EXPECT_EQ(count("SELECT count(*) FROM tb_order o WHERE " + orders +
                  " AND o.status = 'failed' AND EXISTS (SELECT 1 FROM tb_reservation_set r "
                  "WHERE r.order_id = o.id AND r.status <> 'released')"),
            0)
      << "every declined payment's reservation released";
}

}  // namespace
}  // namespace choreo::testing
