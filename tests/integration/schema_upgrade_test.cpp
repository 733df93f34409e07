// Migrations are append-only: a database made and filled at the schema before the services owned
// their data (001-011) upgrades in place to the latest, keeps every row in its new home, and the
// whole flow then runs on it, every service connected as its own role.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "db/embedded_migrations.hpp"
#include "db/migrator.hpp"
#include "events/event.hpp"
#include "graphql_client.hpp"
#include "harness.hpp"
#include "polling.hpp"
#include "runtime/service_names.hpp"
#include "scratch_database.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The last migration before the services' schemas (sql/012_service_ownership.sql).
constexpr std::string_view kLastSharedSchemaMigration = "011";

std::vector<db::MigrationSource> migrations_up_to(std::string_view last) {
  std::vector<db::MigrationSource> sources;
  for (const auto& source : db::embedded_migrations()) {
    if (source.file_name.substr(0, last.size()) <= last)
      sources.push_back(source);
  }
  return sources;
}

class SchemaUpgradeTest : public ::testing::Test {
 protected:
  void TearDown() override {
    // Back on the stack's own database (before the scratch one is dropped, with the fixture).
    move_services({});
  }

  // Every service stopped first, then all started (with `env`, or as the stack starts them): no
  // event of one database is consumed by a service still on the other.
  static void move_services(const std::map<std::string, std::map<std::string, std::string>>& env) {
    auto harness = Harness::for_current_stack();
    for (const auto service : runtime::kServiceNames)
      harness.stop(std::string(service));
    for (const auto service : runtime::kServiceNames) {
      const auto found = env.find(std::string(service));
      harness.start(std::string(service),
                    found == env.end() ? std::map<std::string, std::string>{} : found->second);
    }
  }

  std::string scalar(const std::string& sql) {
    pqxx::connection connection(scratch_.url());
    return query_value(connection, sql);
  }

  ScratchDatabase scratch_;
};

TEST_F(SchemaUpgradeTest, ADatabaseOfThePreviousSchemaUpgradesInPlaceAndRunsTheFlow) {
  // The previous schema, and an order that went all the way through it.
  const auto old_sources = migrations_up_to(kLastSharedSchemaMigration);
  ASSERT_LT(old_sources.size(), db::embedded_migrations().size());
  std::string order_id, payment_id;
  const auto unpublished_event = events::new_event_id();
  {
    pqxx::connection connection(scratch_.url());
    db::Migrator(old_sources).run(connection);
    pqxx::work tx(connection);
    order_id = tx.exec1(
                     "SELECT entity_id::text FROM fn_create_order('upgrade-old', 'alice', "
                     "19.98, '[{\"sku\": \"widget\", \"quantity\": 2}]', '1 Old Road')")[0]
                   .as<std::string>();
    const auto pk = "(SELECT pk_order FROM tb_order WHERE identifier = 'upgrade-old')";
    const auto widget = "(SELECT pk_product FROM tb_product WHERE identifier = 'widget')";
    tx.exec("UPDATE tb_order SET status = 'shipped'");
    tx.exec(std::string("INSERT INTO tb_reservation_set (fk_order, status) VALUES (") + pk +
            ", 'reserved')");
    tx.exec(std::string("INSERT INTO tb_reservation (fk_order, fk_product, quantity) VALUES (") +
            pk + ", " + widget + ", 2)");
    tx.exec(std::string("UPDATE tb_inventory SET reserved = 2 WHERE fk_product = ") + widget);
    payment_id = tx.exec1(std::string("INSERT INTO tb_payment (fk_order, amount, status, "
                                      "provider_id) VALUES (") +
                          pk + ", 19.98, 'succeeded', 'prov-old') RETURNING id::text")[0]
                     .as<std::string>();
    tx.exec(std::string("INSERT INTO tb_shipping (fk_order, carrier, tracking_number, "
                        "provider_label_id) VALUES (") +
            pk + ", 'SimPost', 'TRK-OLD', 'LBL-OLD')");
    tx.exec_params(std::string("INSERT INTO tb_event_log (identifier, event_type, order_id, "
                               "fk_order, data, stream_seq) VALUES ($1, "
                               "'events.order.shipped', $2::uuid, ") +
                       pk + ", '{}', 7)",
                   events::new_event_id(), order_id);
    tx.exec_params(
        "INSERT INTO tb_outbox (source, subject, payload, published_at) VALUES "
        "('payment-worker', 'events.payment.charged', jsonb_build_object('order_id', $1::text), "
        "now())",
        order_id);
    // Written by the shipping worker just before the upgrade, not yet published: the upgraded
    // shipping worker publishes it.
    tx.exec_params(
        "INSERT INTO tb_outbox (event_id, source, subject, payload) VALUES ($1::uuid, "
        "'shipping-worker', 'events.order.shipped', jsonb_build_object('order_id', $2::text, "
        "'tracking_number', 'TRK-OLD', 'carrier', 'SimPost'))",
        unpublished_event, order_id);
    tx.exec(
        "INSERT INTO tb_dead_letter (consumer, subject, stream_seq, event_id, payload, reason, "
        "attempts) VALUES ('shipping_handlers', 'events.payment.charged', 3, 'old-dead', "
        "'\\x7b7d', 'before the upgrade', 5)");
    tx.exec("INSERT INTO tb_inbox (consumer, event_id) VALUES ('payment_processors', 'old-seen')");
    tx.commit();
  }

  // The upgrade, as choreoctl migrate runs it: the database owner applies what is missing.
  {
    pqxx::connection connection(scratch_.url());
    const auto report = db::Migrator(db::embedded_migrations()).run(connection);
    EXPECT_FALSE(report.applied.empty());
  }

  // Every row in its owner's schema, keyed by what the events carry.
  const auto of_order = " WHERE order_id = '" + order_id + "'::uuid";
  EXPECT_EQ(scalar("SELECT reserved FROM inventory_worker.tb_inventory WHERE sku = 'widget'"), "2");
  EXPECT_EQ(scalar("SELECT sku || ' ' || quantity FROM inventory_worker.tb_reservation" + of_order),
            "widget 2");
  EXPECT_EQ(scalar("SELECT status FROM inventory_worker.tb_reservation_set" + of_order),
            "reserved");
  EXPECT_EQ(scalar("SELECT id::text FROM payment_worker.tb_payment" + of_order), payment_id);
  EXPECT_EQ(scalar("SELECT tracking_number FROM shipping_worker.tb_shipping" + of_order),
            "TRK-OLD");
  EXPECT_EQ(scalar("SELECT count(*) FROM event_monitor.tb_event_log" + of_order), "1");
  EXPECT_EQ(scalar("SELECT payment_id::text || ' ' || amount FROM order_service.tb_order_payment"),
            payment_id + " 19.98");
  EXPECT_EQ(scalar("SELECT label_id FROM order_service.tb_order_shipment"), "LBL-OLD");
  EXPECT_EQ(scalar("SELECT count(*) FROM payment_worker.tb_outbox"), "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM shipping_worker.tb_outbox WHERE published_at IS NULL"),
            "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM order_service.tb_outbox"), "0");
  EXPECT_EQ(scalar("SELECT reason FROM shipping_worker.tb_dead_letter"), "before the upgrade");
  EXPECT_EQ(scalar("SELECT event_id FROM payment_worker.tb_inbox"), "old-seen");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_tables WHERE schemaname IN ('order_service', "
                   "'inventory_worker', 'payment_worker', 'shipping_worker', 'event_monitor') "
                   "AND tableowner <> schemaname"),
            "0")
      << "each service's role owns its tables";
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "1")
      << "only schema_migrations is left in public";

  // The services on the upgraded database, each as its own role.
  std::map<std::string, std::map<std::string, std::string>> on_scratch;
  for (const auto service : runtime::kServiceNames) {
    on_scratch[std::string(service)] = {
        {"DATABASE_URL",
         scratch_.url_as(StackEnv::current().get(runtime::database_url_variable(service)))}};
  }
  move_services(on_scratch);
  // The shipping worker's event from before the upgrade goes out, and the monitor logs it.
  EXPECT_TRUE(eventually(
      [&] {
        return scalar("SELECT count(*) FROM event_monitor.tb_event_log WHERE identifier = '" +
                      unpublished_event + "'") == "1";
      },
      30s));
  // The old order reads as before, from its new homes.
  const auto old_order = graphql(
      "query($id: ID!) { order(id: $id) { status payment { id amount } "
      "shipment { trackingNumber labelId } events { type } } }",
      {{"id", order_id}});
  ASSERT_TRUE(old_order.body.contains("data")) << old_order.raw;
  const auto& order = old_order.body["data"]["order"];
  EXPECT_EQ(order["status"], "shipped") << old_order.raw;
  EXPECT_EQ(order["payment"]["id"], payment_id);
  EXPECT_EQ(order["shipment"]["labelId"], "LBL-OLD");
  EXPECT_GE(order["events"].size(), 1u);

  // And a new order goes all the way.
  const auto created =
      graphql(R"(mutation { createOrder(input: { identifier: "upgrade-new", total: "9.99", )"
              R"(items: [{ sku: "widget", quantity: 1 }] }) { id } })");
  const auto new_id = created.body["data"]["createOrder"]["id"].get<std::string>();
  ASSERT_TRUE(eventually(
      [&] {
        return scalar("SELECT status FROM order_service.tb_order WHERE id = '" + new_id + "'") ==
               "shipped";
      },
      60s))
      << "the flow on the upgraded database";
  EXPECT_EQ(scalar("SELECT reserved FROM inventory_worker.tb_inventory WHERE sku = 'widget'"), "3");
  EXPECT_EQ(scalar("SELECT count(*) FROM payment_worker.tb_payment WHERE order_id = '" + new_id +
                   "'::uuid AND status = 'succeeded'"),
            "1");
  EXPECT_EQ(scalar("SELECT count(DISTINCT usename) FROM pg_stat_activity WHERE datname = '" +
                   scratch_.name() +
                   "' AND usename IN ('order_service', 'inventory_worker', "
                   "'payment_worker', 'shipping_worker', 'event_monitor')"),
            "5");
}

}  // namespace
}  // namespace choreo::testing
