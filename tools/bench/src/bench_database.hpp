#pragma once

#include <memory>
#include <pqxx/connection>
#include <string>
#include <utility>
#include <vector>

namespace choreo::bench {

// Where the orders created after a watermark stand.
struct OrderProgress {
  long long total = 0;
  long long terminal = 0;  // shipped or failed
  long long shipped = 0;
  long long failed = 0;

  OrderProgress& operator+=(const OrderProgress& more) {
    total += more.total;
    terminal += more.terminal;
    shipped += more.shipped;
    failed += more.failed;
    return *this;
  }
};

// The orders above a mark, and the part of them that is over for good: every order from the mark
// up to `settled_up_to` is terminal (`settled` counts them).
struct ProgressAbove {
  OrderProgress above;
  OrderProgress settled;
  long long settled_up_to = 0;
};

// Rows the bench's run is measured by: every order with pk_order above `orders` was written during
// the run, and so was every dead letter beyond the first `dead_letters` of all services' (the
// bench's stack is its own, and dead letters are never deleted).
struct Watermarks {
  long long orders = 0;
  long long dead_letters = 0;
};

// The bench's view of the stack's database, as the owning role (DATABASE_URL): it seeds its own
// catalogue, follows orders to their end and checks the invariants. One connection; use one
// instance per thread.
class BenchDatabase {
 public:
  explicit BenchDatabase(const std::string& url);
  ~BenchDatabase();
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;

  // `count` products "bench-<run>-<n>" priced 1.00, each with `stock` units: more than the run
  // can order, so no order fails for lack of stock. Returns their SKUs.
  std::vector<std::string> seed_catalogue(const std::string& run_id, int count, int stock);

  Watermarks watermarks();
  OrderProgress progress(long long order_watermark);
  ProgressAbove progress_above(long long mark);

  // Events.order.shipped as the event monitor recorded it (tb_event_log.recorded_at, the row's
  // clock_timestamp()), for orders above the watermark: (order identifier, Unix time in seconds).
  std::vector<std::pair<std::string, double>> shipped_recorded_at(long long order_watermark);
  long long shipped_events_logged(long long order_watermark);

  // Every violated invariant, as one readable line each; empty when all hold.
  std::vector<std::string> check_invariants(const Watermarks& since, long long orders_created);

 private:
  long long count(const std::string& sql, long long watermark);

  std::unique_ptr<pqxx::connection> connection_;
};

// Follows the orders above a watermark to their end, reading again only those not known to be
// over: a terminal status never changes, so once every order up to some pk_order is terminal,
// that prefix is counted once and skipped afterwards, and each poll reads only the tail. Only for
// orders all committed before it starts (the drain, after the last createOrder answered): one
// committed later, below a prefix already skipped, would be missed.
class DrainProgress {
 public:
  explicit DrainProgress(long long order_watermark) : settled_up_to_(order_watermark) {}

  OrderProgress read(BenchDatabase& database);

 private:
  long long settled_up_to_;
  OrderProgress settled_;
};

}  // namespace choreo::bench
