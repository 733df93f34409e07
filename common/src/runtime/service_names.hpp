#pragma once

// Header-only on purpose: the bench (tools/bench), which does not link choreo_common, reads the
// services' tables by these names too.

#include <array>
#include <string>
#include <string_view>

namespace choreo::runtime {

// The five services, in the order of the choreography. Each owns the schema of its name with '_'
// for '-' (service_schema), and its tables there (docs/database.md).
inline constexpr std::array<std::string_view, 5> kServiceNames = {
    "order-service", "inventory-worker", "payment-worker", "shipping-worker", "event-monitor"};

// The schema (and database role) a service owns: order-service -> order_service.
inline std::string service_schema(std::string_view service_name) {
  std::string schema(service_name);
  for (auto& c : schema) {
    if (c == '-')
      c = '_';
  }
  return schema;
}

// Whether a service publishes events through an outbox of its own (all but the event monitor,
// which only records them).
inline bool publishes_events(std::string_view service_name) {
  return service_name != "event-monitor";
}

// The environment variable naming a service's own database URL, its role's:
// payment-worker -> PAYMENT_WORKER_DATABASE_URL (docs/configuration.md).
inline std::string database_url_variable(std::string_view service_name) {
  auto variable = service_schema(service_name);
  for (auto& c : variable) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  }
  return variable + "_DATABASE_URL";
}

// For the database owner, who sees every schema: one of the messaging tables each service has
// (tb_outbox, tb_inbox, tb_dead_letter) over all five services, as a subquery to put after FROM:
// "(SELECT * FROM order_service.tb_outbox UNION ALL ...) AS alias" (alias: the table's name when
// empty). Unqualified, the owner's tb_outbox is the order service's alone.
inline std::string every_service_table(const std::string& table, const std::string& alias = "") {
  std::string sql = "(";
  for (const auto name : kServiceNames) {
    if (sql.size() > 1)
      sql += " UNION ALL ";
    sql += "SELECT * FROM " + service_schema(name) + "." + table;
  }
  return sql + ") AS " + (alias.empty() ? table : alias);
}

}  // namespace choreo::runtime
