// Each service owns its data (docs/database.md): it connects as its own role, may use its own
// schema's tables and nothing of another service's but the read models declared for it, and what
// SQL produces as an event payload (the observer triggers) is what the C++ codec parses.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "events/event.hpp"
#include "events/payloads.hpp"
#include "harness.hpp"
#include "runtime/service_names.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"

namespace choreo::testing {
namespace {

using nlohmann::json;

// Tables of each service's schema that a stray query of another service would touch first.
const std::map<std::string, std::vector<std::string>> kOwnTables = {
    {"order_service", {"tb_order", "tb_product", "tb_outbox", "tb_dead_letter"}},
    {"inventory_worker", {"tb_inventory", "tb_reservation", "tb_outbox", "tb_inbox"}},
    {"payment_worker", {"tb_payment", "tb_provider_charge", "tb_outbox", "tb_inbox"}},
    {"shipping_worker", {"tb_shipping", "tb_outbox", "tb_dead_letter"}},
    {"event_monitor", {"tb_event_log", "tb_inbox", "tb_dead_letter"}},
};

std::string database_url_of(const std::string& service) {
  return StackEnv::current().get(runtime::database_url_variable(service));
}

// The error `sql` ends in, run as `connection`'s role ("" when it succeeds).
std::string refusal(pqxx::connection& connection, const std::string& sql) {
  try {
    pqxx::work tx(connection);
    tx.exec(sql);
    return "";  // rolled back
  } catch (const pqxx::sql_error& error) {
    return error.what();
  }
}

class ServiceOwnershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto harness = Harness::for_current_stack();
    for (const auto name : runtime::kServiceNames) {
      if (!harness.running(std::string(name)))
        harness.start(std::string(name));
    }
  }
};

TEST_F(ServiceOwnershipTest, EachRoleIsRefusedOnEveryOtherServicesTables) {
  for (const auto service : runtime::kServiceNames) {
    const auto role = runtime::service_schema(service);
    pqxx::connection connection(database_url_of(std::string(service)));
    EXPECT_EQ(pqxx::nontransaction(connection).exec1("SELECT current_user")[0].as<std::string>(),
              role);
    for (const auto& [schema, tables] : kOwnTables) {
      for (const auto& table : tables) {
        const auto read = refusal(connection, "SELECT 1 FROM " + schema + "." + table + " LIMIT 1");
        const auto write =
            refusal(connection, "DELETE FROM " + schema + "." + table + " WHERE false");
        if (schema == role) {
          EXPECT_EQ(read, "") << role << " reads its own " << table;
          EXPECT_EQ(write, "") << role << " writes its own " << table;
        } else {
          EXPECT_NE(read.find("permission denied"), std::string::npos)
              << role << " on " << schema << "." << table << ": " << read;
          EXPECT_NE(write.find("permission denied"), std::string::npos)
              << role << " on " << schema << "." << table << ": " << write;
        }
      }
    }
    // Nothing new lands in public either.
    EXPECT_NE(
        refusal(connection, "CREATE TABLE public.stray_table (x INT)").find("permission denied"),
        std::string::npos)
        << role;
  }
}

TEST_F(ServiceOwnershipTest, TheReadModelsAreTheOrderServicesOnlyWindowIntoOthers) {
  pqxx::connection order_service(database_url_of("order-service"));
  EXPECT_EQ(refusal(order_service,
                    "SELECT order_id, event_type, data, stream_seq, recorded_at "
                    "FROM event_monitor.v_order_event LIMIT 1"),
            "");
  EXPECT_EQ(refusal(order_service, "SELECT sku, available FROM inventory_worker.v_stock LIMIT 1"),
            "");
  // Read-only: a view over another service's table takes no writes from it.
  EXPECT_NE(
      refusal(order_service, "DELETE FROM inventory_worker.v_stock").find("permission denied"),
      std::string::npos);
  // Only the order service was given them.
  for (const char* service : {"payment-worker", "shipping-worker"}) {
    pqxx::connection other(database_url_of(service));
    EXPECT_NE(
        refusal(other, "SELECT 1 FROM inventory_worker.v_stock LIMIT 1").find("permission denied"),
        std::string::npos)
        << service;
    EXPECT_NE(refusal(other, "SELECT 1 FROM event_monitor.v_order_event LIMIT 1")
                  .find("permission denied"),
              std::string::npos)
        << service;
  }
}

TEST_F(ServiceOwnershipTest, EveryServiceIsConnectedAsItsOwnRole) {
  auto db = connect_database();
  for (const auto service : runtime::kServiceNames) {
    pqxx::nontransaction tx(*db);
    const auto users = tx.exec_params(
        "SELECT DISTINCT usename::text FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = $1",
        std::string(service));
    ASSERT_EQ(users.size(), 1) << service << " has sessions of one role, and some";
    EXPECT_EQ(users[0][0].as<std::string>(), runtime::service_schema(service)) << service;
  }
}

// The observer triggers build events.order.created and events.order.status_updated in SQL
// (fn_observer_payload): the C++ codec parses them, and writes them back field for field.
TEST_F(ServiceOwnershipTest, WhatTheObserversWriteIsWhatTheCodecReads) {
  auto db = connect_database();
  pqxx::work tx(*db);
  const auto identifier = "contract-" + events::new_event_id();
  const auto order_id =
      tx.exec_params1(
            "SELECT entity_id::text FROM fn_create_order($1, 'contract-tests', 12.50, "
            "'[{\"sku\": \"widget\", \"quantity\": 2}]'::jsonb, '1 Contract Way')",
            identifier)[0]
          .as<std::string>();
  tx.exec_params("SELECT fn_update_order_status($1::uuid, 'paid', NULL)", order_id);
  // The observer writes events.order.created at commit (after the items): fire it now.
  tx.exec("SET CONSTRAINTS ALL IMMEDIATE");
  const auto rows = tx.exec_params(
      "SELECT subject, payload::text FROM order_service.tb_outbox "
      "WHERE payload->>'order_id' = $1 ORDER BY pk_outbox",
      order_id);
  ASSERT_EQ(rows.size(), 2);

  std::map<std::string, json> by_subject;
  for (const auto& row : rows)
    by_subject[row[0].as<std::string>()] = json::parse(row[1].as<std::string>());
  ASSERT_EQ(by_subject.count(std::string(events::OrderCreated::subject)), 1);
  ASSERT_EQ(by_subject.count(std::string(events::OrderStatusUpdated::subject)), 1);

  const auto& created_sql = by_subject[std::string(events::OrderCreated::subject)];
  const auto created = events::decode<events::OrderCreated>(created_sql);
  EXPECT_EQ(created.order_id, order_id);
  EXPECT_EQ(created.identifier, identifier);
  EXPECT_EQ(created.total, "12.50");
  ASSERT_EQ(created.items.size(), 1);
  EXPECT_EQ(created.items[0].sku, "widget");
  EXPECT_EQ(created.items[0].quantity, 2);
  EXPECT_EQ(created.shipping_address, "1 Contract Way");
  EXPECT_EQ(events::encode(created), created_sql) << "no field the codec does not define";

  const auto& updated_sql = by_subject[std::string(events::OrderStatusUpdated::subject)];
  const auto updated = events::decode<events::OrderStatusUpdated>(updated_sql);
  EXPECT_EQ(updated.order_id, order_id);
  EXPECT_EQ(updated.status, "paid");
  EXPECT_EQ(updated.previous_status, "pending");
  EXPECT_EQ(events::encode(updated), updated_sql);
  // Rolled back: no event of it is ever published.
}

}  // namespace
}  // namespace choreo::testing
