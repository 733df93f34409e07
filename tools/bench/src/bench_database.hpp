#pragma once

#include <map>
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

// The bench's view of the stack's databases: it seeds its own catalogue, follows orders to their
// end and checks the invariants, comparing the services' data by order id (each service's rows
// read through its own URL, so the checks hold whether the services share one database or each
// has its own). Its connections are its own; use one instance per thread.
class BenchDatabase {
 public:
  // `orders_url`: the owner's URL of the order service's database (DATABASE_URL), all that
  // following orders needs. `service_urls`: each service's own URL (service name -> its
  // <SERVICE>_DATABASE_URL), for what the other services recorded; a service without one is read
  // through `orders_url` (every schema in one database).
  explicit BenchDatabase(const std::string& orders_url,
                         std::map<std::string, std::string> service_urls = {});
  ~BenchDatabase();
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;

  // `count` products "bench-<run>-<n>" priced 1.00, each with `stock` units: more than the run
  // can order, so no order fails for lack of stock. Returns their SKUs.
  std::vector<std::string> seed_catalogue(const std::string& run_id, int count, int stock);

  Watermarks watermarks();
  // ANALYZE of the tables an order(id) read joins, so the reads scenario measures the plans a
  // database that has run a while has. Until autovacuum first analyzes them (up to a minute and
  // more after a fresh database's first burst) the planner guesses 80 items per order, and the
  // row-level-security check of the items then hashes every order of the user: 10 ms per read
  // instead of 0.3 ms (docs/performance.md).
  void analyze_read_tables();
  OrderProgress progress(long long order_watermark);
  ProgressAbove progress_above(long long mark);

  // Events.order.shipped as the event monitor recorded it (tb_event_log.recorded_at, the row's
  // clock_timestamp()), for orders above the watermark: (order identifier, Unix time in seconds).
  std::vector<std::pair<std::string, double>> shipped_recorded_at(long long order_watermark);
  long long shipped_events_logged(long long order_watermark);

  // Every violated invariant, as one readable line each; empty when all hold.
  std::vector<std::string> check_invariants(const Watermarks& since, long long orders_created);

 private:
  // The connection to `service`'s data, opened on first use.
  pqxx::connection& service(const std::string& service);
  // Dead letters of every service so far (they are never deleted).
  long long dead_letters();
  // The ids of the orders above the watermark with this status.
  std::vector<std::string> order_ids(long long order_watermark, const std::string& status);

  std::unique_ptr<pqxx::connection> connection_;
  std::map<std::string, std::string> service_urls_;
  std::map<std::string, std::unique_ptr<pqxx::connection>> services_;
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
