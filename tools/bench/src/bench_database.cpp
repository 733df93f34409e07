#include "bench_database.hpp"

#include <pqxx/pqxx>

#include "runtime/service_names.hpp"

namespace choreo::bench {

BenchDatabase::BenchDatabase(const std::string& url)
    : connection_(std::make_unique<pqxx::connection>(url)) {}

BenchDatabase::~BenchDatabase() = default;

std::vector<std::string> BenchDatabase::seed_catalogue(const std::string& run_id, int count,
                                                       int stock) {
  pqxx::work tx(*connection_, "bench_seed");
  std::vector<std::string> skus;
  for (int i = 0; i < count; ++i) {
    auto sku = "bench-" + run_id + "-" + std::to_string(i);
    // The order service's catalogue and the inventory worker's stock, both by SKU.
    tx.exec_params(
        "INSERT INTO order_service.tb_product (identifier, name, price) "
        "VALUES ($1, 'Benchmark item', 1.00)",
        sku);
    tx.exec_params("INSERT INTO inventory_worker.tb_inventory (sku, quantity) VALUES ($1, $2)", sku,
                   stock);
    skus.push_back(std::move(sku));
  }
  tx.commit();
  return skus;
}

Watermarks BenchDatabase::watermarks() {
  pqxx::nontransaction tx(*connection_);
  const auto row = tx.exec1(
      "SELECT (SELECT coalesce(max(pk_order), 0) FROM tb_order), "
      "(SELECT count(*) FROM " +
      runtime::every_service_table("tb_dead_letter") + ")");
  return {row[0].as<long long>(), row[1].as<long long>()};
}

OrderProgress BenchDatabase::progress(long long order_watermark) {
  return progress_above(order_watermark).above;
}

ProgressAbove BenchDatabase::progress_above(long long mark) {
  pqxx::nontransaction tx(*connection_);
  const auto row = tx.exec_params1(
      "WITH above AS (SELECT pk_order, status IN ('shipped', 'failed') AS over, status "
      "               FROM tb_order WHERE pk_order > $1), "
      "open AS (SELECT coalesce(min(pk_order), 9223372036854775807) AS first "
      "         FROM above WHERE NOT over) "
      "SELECT count(*), count(*) FILTER (WHERE over), "
      "count(*) FILTER (WHERE status = 'shipped'), count(*) FILTER (WHERE status = 'failed'), "
      "count(*) FILTER (WHERE pk_order < first), "
      "count(*) FILTER (WHERE pk_order < first AND status = 'shipped'), "
      "count(*) FILTER (WHERE pk_order < first AND status = 'failed'), "
      "coalesce(max(pk_order) FILTER (WHERE pk_order < first), $1) "
      "FROM above CROSS JOIN open",
      mark);
  ProgressAbove progress;
  progress.above = {row[0].as<long long>(), row[1].as<long long>(), row[2].as<long long>(),
                    row[3].as<long long>()};
  const auto settled = row[4].as<long long>();
  progress.settled = {settled, settled, row[5].as<long long>(), row[6].as<long long>()};
  progress.settled_up_to = row[7].as<long long>();
  return progress;
}

OrderProgress DrainProgress::read(BenchDatabase& database) {
  const auto now = database.progress_above(settled_up_to_);
  auto total = settled_;
  total += now.above;
  settled_ += now.settled;
  settled_up_to_ = now.settled_up_to;
  return total;
}

std::vector<std::pair<std::string, double>> BenchDatabase::shipped_recorded_at(
    long long order_watermark) {
  pqxx::nontransaction tx(*connection_);
  const auto rows = tx.exec_params(
      "SELECT o.identifier, extract(epoch FROM min(e.recorded_at))::float8 "
      "FROM tb_order o JOIN tb_event_log e ON e.order_id = o.id "
      "WHERE o.pk_order > $1 AND e.event_type = 'events.order.shipped' GROUP BY o.identifier",
      order_watermark);
  std::vector<std::pair<std::string, double>> times;
  times.reserve(rows.size());
  for (const auto& row : rows)
    times.emplace_back(row[0].as<std::string>(), row[1].as<double>());
  return times;
}

long long BenchDatabase::shipped_events_logged(long long order_watermark) {
  return count(
      "SELECT count(DISTINCT o.pk_order) FROM tb_order o JOIN tb_event_log e ON e.order_id = o.id "
      "WHERE o.pk_order > $1 AND e.event_type = 'events.order.shipped'",
      order_watermark);
}

long long BenchDatabase::count(const std::string& sql, long long watermark) {
  pqxx::nontransaction tx(*connection_);
  return tx.exec_params1(sql, watermark)[0].as<long long>();
}

std::vector<std::string> BenchDatabase::check_invariants(const Watermarks& since,
                                                         long long orders_created) {
  std::vector<std::string> violations;
  const auto progress_now = progress(since.orders);
  if (progress_now.total < orders_created) {
    violations.push_back(std::to_string(orders_created) + " orders were created but only " +
                         std::to_string(progress_now.total) + " are in tb_order");
  }
  if (const auto open = progress_now.total - progress_now.terminal; open > 0) {
    violations.push_back(std::to_string(open) +
                         " orders never reached a terminal state (shipped or failed)");
  }
  {
    pqxx::nontransaction tx(*connection_);
    const auto rows = tx.exec_params(
        "SELECT coalesce(failure_reason, '(none)'), count(*) FROM tb_order "
        "WHERE pk_order > $1 AND status = 'failed' GROUP BY 1 ORDER BY 2 DESC",
        since.orders);
    for (const auto& row : rows) {
      // The bench's catalogue has stock for the whole run and its totals are far below the
      // payment limit, so every failure is a fault (inventory_unavailable above all).
      violations.push_back(row[1].as<std::string>() + " orders failed with reason " +
                           row[0].as<std::string>());
    }
  }
  const struct {
    const char* what;
    const char* sql;
  } checks[] = {
      {"shipped orders without exactly one succeeded payment",
       "SELECT count(*) FROM tb_order o WHERE o.pk_order > $1 AND o.status = 'shipped' AND "
       "(SELECT count(*) FROM tb_payment p WHERE p.order_id = o.id "
       "AND p.status = 'succeeded') <> 1"},
      {"shipped orders without exactly one tb_shipping row",
       "SELECT count(*) FROM tb_order o WHERE o.pk_order > $1 AND o.status = 'shipped' AND "
       "(SELECT count(*) FROM tb_shipping s WHERE s.order_id = o.id) <> 1"},
      {"inventory rows outside 0 <= reserved <= quantity",
       "SELECT count(*) FROM tb_inventory WHERE $1 >= 0 AND "
       "(reserved < 0 OR reserved > quantity)"},
  };
  for (const auto& check : checks) {
    if (const auto n = count(check.sql, since.orders); n > 0)
      violations.push_back(std::to_string(n) + " " + check.what);
  }
  if (const auto n =
          count("SELECT count(*) - $1 FROM " + runtime::every_service_table("tb_dead_letter"),
                since.dead_letters);
      n > 0) {
    violations.push_back(std::to_string(n) + " dead letters were recorded during the run");
  }
  return violations;
}

}  // namespace choreo::bench
