// Each worker killed at the narrowest crash window (its batch committed, nothing acknowledged)
// and restarted: the redelivered event must be recognised, so nothing is lost or done twice.
#include "worker_fixture.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;

class WorkerCrashTest : public WorkerFixture {
 protected:
  // Starts the worker armed to exit right after its first commit, waits for that exit, and
  // starts it again normally.
  void crash_after_commit_then_restart(const std::string& worker,
                                       const std::function<bool()>& committed) {
    harness_->start_no_wait(worker, {{"FAULT_POINT", "after_commit_before_ack"}});
    ASSERT_TRUE(eventually([&] { return !harness_->running(worker); }, 30s))
        << worker << " did not reach its fault point";
    EXPECT_EQ(harness_->last_exit_code(worker), 86) << worker << ": exit code of FAULT_POINT";
    EXPECT_TRUE(committed()) << worker << ": the batch was committed before the crash";
    harness_->start(worker);
  }
};

TEST_F(WorkerCrashTest, EachWorkerCrashingAfterCommitBeforeAckLosesAndRepeatsNothing) {
  for (const char* worker : kWorkers)
    harness_->stop(worker);
  const auto sku = new_product(5);
  const auto order_id = create_order("wt-crash-" + unique_suffix(), {line(sku, 2)});

  crash_after_commit_then_restart("inventory-worker",
                                  [&] { return rows_of("tb_reservation_set", order_id) == 1; });
  crash_after_commit_then_restart("payment-worker",
                                  [&] { return rows_of("tb_payment", order_id) == 1; });
  crash_after_commit_then_restart("shipping-worker",
                                  [&] { return rows_of("tb_shipping", order_id) == 1; });
  ASSERT_TRUE(reaches(order_id, "shipped"));
  // The unacknowledged deliveries come back after ACK_WAIT and must settle as repeats.
  await_workers_idle();

  EXPECT_EQ(reserved(sku), 2);
  EXPECT_EQ(rows_of("tb_reservation", order_id), 1);
  EXPECT_EQ(rows_of("tb_payment", order_id), 1);
  EXPECT_EQ(rows_of("tb_shipping", order_id), 1);
  for (const char* subject :
       {"events.inventory.reserved", "events.payment.charged", "events.order.shipped"}) {
    EXPECT_EQ(announced(order_id, subject), 1) << subject;
    EXPECT_TRUE(eventually([&] { return logged(order_id, subject).size() == 1; })) << subject;
  }
  EXPECT_EQ(query_count(*db_, "SELECT count(*) FROM " + runtime::every_service_table("tb_outbox") +
                                  " WHERE published_at IS NULL AND "
                                  "payload->>'order_id' = " +
                                  db_->quote(order_id)),
            0)
      << "every announced event was published";
}

TEST_F(WorkerCrashTest, CompensationCrashingAfterCommitBeforeAckReleasesOnce) {
  // The reservation is made with payments stopped; then the inventory worker is stopped so that
  // the payment failure waits for its armed run.
  const auto sku = new_product(5);
  harness_->stop("payment-worker");
  const auto order_id = create_order("wt-crash-bad-card-" + unique_suffix(), {line(sku, 3)});
  ASSERT_TRUE(eventually([&] { return rows_of("tb_reservation_set", order_id) == 1; }));
  await_idle("inventory_processors");
  harness_->stop("inventory-worker");
  harness_->start("payment-worker");
  ASSERT_TRUE(eventually([&] { return announced(order_id, "events.payment.failed") == 1; }));
  EXPECT_EQ(reserved(sku), 3);

  crash_after_commit_then_restart("inventory-worker", [&] {
    return rows_of("tb_reservation_set", order_id, "t.status = 'released'") == 1;
  });
  ASSERT_TRUE(reaches(order_id, "failed"));
  await_workers_idle();
  EXPECT_EQ(reserved(sku), 0) << "released once, not twice (which the CHECK would refuse)";
  EXPECT_EQ(announced(order_id, "events.inventory.released"), 1);
  EXPECT_EQ(announced(order_id, "events.order.failed"), 1);
}

}  // namespace
}  // namespace choreo::testing
