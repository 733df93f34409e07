#include "bench_database.hpp"

#include <pqxx/pqxx>
#include <unordered_map>

#include "runtime/service_names.hpp"

namespace choreo::bench {

namespace {

// order id -> a count, from `sql` (order id, count) on `connection`.
std::unordered_map<std::string, long long> counts_by_order(pqxx::connection& connection,
                                                           const std::string& sql) {
  pqxx::nontransaction tx(connection);
  std::unordered_map<std::string, long long> counts;
  for (const auto& row : tx.exec(sql))
    counts.emplace(row[0].as<std::string>(), row[1].as<long long>());
  return counts;
}

}  // namespace

BenchDatabase::BenchDatabase(const std::string& orders_url,
                             std::map<std::string, std::string> service_urls)
    : connection_(std::make_unique<pqxx::connection>(orders_url)),
      service_urls_(std::move(service_urls)) {}

BenchDatabase::~BenchDatabase() = default;

pqxx::connection& BenchDatabase::service(const std::string& name) {
  const auto url = service_urls_.find(name);
  if (url == service_urls_.end())
    return *connection_;
  auto& connection = services_[name];
  if (!connection)
    connection = std::make_unique<pqxx::connection>(url->second);
  return *connection;
}

std::vector<std::string> BenchDatabase::order_ids(long long order_watermark,
                                                  const std::string& status) {
  pqxx::nontransaction tx(*connection_);
  std::vector<std::string> ids;
  for (const auto& row :
       tx.exec_params("SELECT id::text FROM tb_order WHERE pk_order > $1 AND status = $2",
                      order_watermark, status))
    ids.push_back(row[0].as<std::string>());
  return ids;
}

long long BenchDatabase::dead_letters() {
  long long total = 0;
  for (const auto name : runtime::kServiceNames) {
    pqxx::nontransaction tx(service(std::string(name)));
    total +=
        tx.exec1("SELECT count(*) FROM " + runtime::service_schema(name) + ".tb_dead_letter")[0]
            .as<long long>();
  }
  return total;
}

std::vector<std::string> BenchDatabase::seed_catalogue(const std::string& run_id, int count,
                                                       int stock) {
  std::vector<std::string> skus;
  for (int i = 0; i < count; ++i)
    skus.push_back("bench-" + run_id + "-" + std::to_string(i));
  // The inventory worker's stock first, then the order service's catalogue, both by SKU: a
  // product is never on sale before its stock exists.
  {
    pqxx::work tx(service("inventory-worker"), "bench_seed_stock");
    for (const auto& sku : skus)
      tx.exec_params("INSERT INTO inventory_worker.tb_inventory (sku, quantity) VALUES ($1, $2)",
                     sku, stock);
    tx.commit();
  }
  pqxx::work tx(*connection_, "bench_seed_catalogue");
  for (const auto& sku : skus)
    tx.exec_params(
        "INSERT INTO order_service.tb_product (identifier, name, price) "
        "VALUES ($1, 'Benchmark item', 1.00)",
        sku);
  tx.commit();
  return skus;
}

void BenchDatabase::analyze_read_tables() {
  pqxx::nontransaction tx(*connection_);
  tx.exec0(
      "ANALYZE order_service.tb_order, order_service.tb_order_item, order_service.tb_product,"
      " order_service.tb_order_payment, order_service.tb_order_shipment");
}

Watermarks BenchDatabase::watermarks() {
  long long orders = 0;
  {
    pqxx::nontransaction tx(*connection_);
    orders = tx.exec1("SELECT coalesce(max(pk_order), 0) FROM tb_order")[0].as<long long>();
  }
  return {orders, dead_letters()};
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
  std::unordered_map<std::string, std::string> identifiers;  // order id -> identifier
  {
    pqxx::nontransaction tx(*connection_);
    for (const auto& row : tx.exec_params(
             "SELECT id::text, identifier FROM tb_order WHERE pk_order > $1", order_watermark))
      identifiers.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  }
  std::vector<std::pair<std::string, double>> times;
  if (identifiers.empty())
    return times;
  pqxx::nontransaction tx(service("event-monitor"));
  const auto rows = tx.exec(
      "SELECT order_id::text, extract(epoch FROM min(recorded_at))::float8 "
      "FROM event_monitor.tb_event_log WHERE event_type = 'events.order.shipped' "
      "GROUP BY order_id");
  times.reserve(identifiers.size());
  for (const auto& row : rows) {
    const auto found = identifiers.find(row[0].as<std::string>());
    if (found != identifiers.end())
      times.emplace_back(found->second, row[1].as<double>());
  }
  return times;
}

long long BenchDatabase::shipped_events_logged(long long order_watermark) {
  return static_cast<long long>(shipped_recorded_at(order_watermark).size());
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
  // Each shipped order against what the payment and shipping workers recorded, by order id.
  const auto shipped = order_ids(since.orders, "shipped");
  const auto mismatched = [&shipped](const std::unordered_map<std::string, long long>& rows) {
    long long n = 0;
    for (const auto& id : shipped) {
      const auto found = rows.find(id);
      n += (found == rows.end() || found->second != 1) ? 1 : 0;
    }
    return n;
  };
  if (const auto n = mismatched(
          counts_by_order(service("payment-worker"),
                          "SELECT order_id::text, count(*) FROM payment_worker.tb_payment "
                          "WHERE status = 'succeeded' GROUP BY order_id"));
      n > 0) {
    violations.push_back(std::to_string(n) +
                         " shipped orders without exactly one succeeded payment");
  }
  if (const auto n = mismatched(counts_by_order(
          service("shipping-worker"),
          "SELECT order_id::text, count(*) FROM shipping_worker.tb_shipping GROUP BY order_id"));
      n > 0) {
    violations.push_back(std::to_string(n) + " shipped orders without exactly one tb_shipping row");
  }
  {
    pqxx::nontransaction tx(service("inventory-worker"));
    if (const auto n = tx.exec1("SELECT count(*) FROM inventory_worker.tb_inventory "
                                "WHERE reserved < 0 OR reserved > quantity")[0]
                           .as<long long>();
        n > 0) {
      violations.push_back(std::to_string(n) + " inventory rows outside 0 <= reserved <= quantity");
    }
  }
  if (const auto n = dead_letters() - since.dead_letters; n > 0)
    violations.push_back(std::to_string(n) + " dead letters were recorded during the run");
  return violations;
}

}  // namespace choreo::bench
