// The schema's own guarantees, checked in the stack's database: the order state machine and
// fn_create_order's answers are enforced in SQL, row-level security hides other users' orders from
// order_api, and the constraints hold whatever a writer does. The database is shared with the
// running services and across runs, so tests use identifiers of their own and work inside
// transactions they roll back; only the concurrency test commits (an order without items).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <thread>

#include "db/embedded_migrations.hpp"
#include "db/migrator.hpp"
#include "stack_env.hpp"

namespace {

std::string unique_id(const std::string& prefix) {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uniform_int_distribution<int> digit(0, 15);
  std::string text = prefix + "-";
  for (int i = 0; i < 12; ++i)
    text.push_back(kHex[digit(engine)]);
  return text;
}

struct Mutation {
  std::string status;
  std::string message;
  std::optional<std::string> entity_id;
  nlohmann::json entity;
  nlohmann::json metadata;
};

Mutation read_mutation(const pqxx::row& row) {
  Mutation result;
  result.status = row["status"].as<std::string>();
  result.message = row["message"].is_null() ? "" : row["message"].as<std::string>();
  if (!row["entity_id"].is_null())
    result.entity_id = row["entity_id"].as<std::string>();
  if (!row["entity"].is_null())
    result.entity = nlohmann::json::parse(row["entity"].c_str());
  if (!row["metadata"].is_null())
    result.metadata = nlohmann::json::parse(row["metadata"].c_str());
  return result;
}

Mutation create_order(pqxx::transaction_base& tx, const std::string& identifier,
                      const std::string& user, const std::string& total,
                      const std::string& items = "[]", const char* address = nullptr) {
  return read_mutation(
      tx.exec_params1("SELECT status, message, entity_id, entity, metadata"
                      " FROM fn_create_order($1, $2, $3::numeric, $4::jsonb, $5)",
                      identifier, user, total, items, address));
}

Mutation update_status(pqxx::transaction_base& tx, const std::string& order_id,
                       const std::string& status, const char* reason = nullptr) {
  return read_mutation(
      tx.exec_params1("SELECT status, message, entity_id, entity, metadata"
                      " FROM fn_update_order_status($1::uuid, $2, $3)",
                      order_id, status, reason));
}

// Creates an order in `tx` (which the test rolls back); returns its id.
std::string new_order(pqxx::transaction_base& tx, const std::string& identifier,
                      const std::string& user,
                      const std::string& items = R"([{"sku":"widget","quantity":1}])") {
  const auto created = create_order(tx, identifier, user, "9.99", items);
  EXPECT_EQ(created.status, "created") << created.message;
  return created.entity_id.value_or("");
}

struct OrderRow {
  std::string status;
  std::optional<std::string> failure_reason;
};

OrderRow order_row(pqxx::transaction_base& tx, const std::string& order_id) {
  const auto row =
      tx.exec_params1("SELECT status, failure_reason FROM tb_order WHERE id = $1::uuid", order_id);
  return {row[0].as<std::string>(),
          row[1].is_null() ? std::nullopt : std::optional<std::string>(row[1].as<std::string>())};
}

class Schema : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The stack applies the schema at start; migrating again is a no-op that makes this suite
    // independent of that (and of the order in which suites run).
    pqxx::connection connection(url());
    choreo::db::Migrator(choreo::db::embedded_migrations()).run(connection);
  }

  static std::string url() { return choreo::testing::StackEnv::current().database_url(); }

  pqxx::connection connection_{url()};
};

TEST_F(Schema, ShippedBeforePaidStaysShipped) {
  pqxx::work tx(connection_);
  const auto id = new_order(tx, unique_id("rank"), unique_id("user"));
  {
    const auto shipped = update_status(tx, id, "shipped");
    EXPECT_EQ(shipped.status, "updated");
    EXPECT_EQ(shipped.metadata.value("previous_status", ""), "pending");
    EXPECT_EQ(shipped.entity.value("status", ""), "shipped");
    const auto paid = update_status(tx, id, "paid");
    EXPECT_EQ(paid.status, "noop");
    EXPECT_EQ(paid.metadata.value("current_status", ""), "shipped");
  }
  EXPECT_EQ(order_row(tx, id).status, "shipped");
}

TEST_F(Schema, FailedAfterPaidIsANoop) {
  pqxx::work tx(connection_);
  const auto id = new_order(tx, unique_id("rank"), unique_id("user"));
  {
    EXPECT_EQ(update_status(tx, id, "paid").status, "updated");
    EXPECT_EQ(update_status(tx, id, "paid").status, "noop") << "a repeated event changes nothing";
    EXPECT_EQ(update_status(tx, id, "failed", "payment_failed").status, "noop");
    EXPECT_EQ(update_status(tx, id, "pending").status, "noop");
  }
  const auto row = order_row(tx, id);
  EXPECT_EQ(row.status, "paid");
  EXPECT_FALSE(row.failure_reason.has_value());
}

TEST_F(Schema, PendingToFailedRecordsTheReasonAndIsFinal) {
  pqxx::work tx(connection_);
  const auto id = new_order(tx, unique_id("rank"), unique_id("user"));
  {
    const auto failed = update_status(tx, id, "failed", "inventory_unavailable");
    EXPECT_EQ(failed.status, "updated");
    EXPECT_EQ(failed.metadata.value("previous_status", ""), "pending");
    EXPECT_EQ(failed.entity.value("failure_reason", ""), "inventory_unavailable");
    EXPECT_EQ(update_status(tx, id, "paid").status, "noop");
    EXPECT_EQ(update_status(tx, id, "shipped").status, "noop");
  }
  const auto row = order_row(tx, id);
  EXPECT_EQ(row.status, "failed");
  EXPECT_EQ(row.failure_reason, "inventory_unavailable");
}

TEST_F(Schema, UpdateStatusOfAnUnknownOrderOrToAnUnknownStatus) {
  pqxx::work tx(connection_);
  const auto id = new_order(tx, unique_id("rank"), unique_id("user"));
  EXPECT_EQ(update_status(tx, "00000000-0000-4000-8000-000000000000", "paid").status, "not_found");
  EXPECT_EQ(update_status(tx, id, "refunded").status, "invalid");
}

TEST_F(Schema, CreateOrderCreatesWithItemsAtTheProductPrice) {
  const auto identifier = unique_id("create");
  pqxx::work tx(connection_);
  const auto created =
      create_order(tx, identifier, unique_id("user"), "69.97",
                   R"([{"sku":"widget","quantity":2},{"sku":"gizmo","quantity":1}])", "1 Main St");
  ASSERT_EQ(created.status, "created") << created.message;
  ASSERT_TRUE(created.entity_id.has_value());
  EXPECT_EQ(created.entity.value("identifier", ""), identifier);
  EXPECT_EQ(created.entity.value("status", ""), "pending");
  EXPECT_EQ(created.entity.value("total", ""), "69.97");
  EXPECT_EQ(created.entity.value("shipping_address", ""), "1 Main St");

  const auto items = tx.exec_params(
      "SELECT i.identifier, p.identifier, i.quantity, i.unit_price = p.price"
      " FROM tb_order_item i JOIN tb_order o ON o.pk_order = i.fk_order"
      " JOIN tb_product p ON p.pk_product = i.fk_product"
      " WHERE o.id = $1::uuid ORDER BY i.pk_order_item",
      *created.entity_id);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0][0].as<std::string>(), identifier + "/1");
  EXPECT_EQ(items[0][1].as<std::string>(), "widget");
  EXPECT_EQ(items[0][2].as<int>(), 2);
  EXPECT_TRUE(items[0][3].as<bool>());
  EXPECT_EQ(items[1][0].as<std::string>(), identifier + "/2");
  EXPECT_EQ(items[1][1].as<std::string>(), "gizmo");
}

TEST_F(Schema, CreateOrderAgainIsExistingForTheSameUserAndConflictForAnother) {
  const auto identifier = unique_id("retry");
  const auto alice = unique_id("alice");
  pqxx::work tx(connection_);
  const auto id = new_order(tx, identifier, alice);
  const auto again = create_order(tx, identifier, alice, "9.99");
  EXPECT_EQ(again.status, "existing");
  EXPECT_EQ(again.entity_id, id);
  EXPECT_EQ(again.entity.value("identifier", ""), identifier);

  const auto other = create_order(tx, identifier, unique_id("bob"), "9.99");
  EXPECT_EQ(other.status, "conflict");
  EXPECT_FALSE(other.entity_id.has_value()) << "another user's order id must not leak";
  EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM tb_order WHERE identifier = $1", identifier)[0]
                .as<int>(),
            1);
}

TEST_F(Schema, CreateOrderRejectsBadInputAndWritesNothing) {
  struct Case {
    std::string name;
    std::string identifier;
    std::string total;
    std::string items;
  };
  const auto good = [] { return unique_id("invalid"); };
  const std::vector<Case> cases = {
      {"empty identifier", "", "1.00", "[]"},
      {"identifier too long", std::string(129, 'a'), "1.00", "[]"},
      {"identifier with a space", "has space", "1.00", "[]"},
      {"identifier with a slash", "a/b", "1.00", "[]"},
      {"negative total", good(), "-0.01", "[]"},
      {"three decimals", good(), "1.001", "[]"},
      {"total too large", good(), "100000000.00", "[]"},
      {"unknown sku", good(), "1.00", R"([{"sku":"no-such-sku","quantity":1}])"},
      {"zero quantity", good(), "1.00", R"([{"sku":"widget","quantity":0}])"},
      {"fractional quantity", good(), "1.00", R"([{"sku":"widget","quantity":1.5}])"},
      {"missing quantity", good(), "1.00", R"([{"sku":"widget"}])"},
      {"items not a list", good(), "1.00", R"({"sku":"widget"})"},
      {"bad second item", good(), "1.00",
       R"([{"sku":"widget","quantity":1},{"sku":"widget","quantity":-1}])"},
  };
  for (const auto& c : cases) {
    const auto user = unique_id("user");
    pqxx::work tx(connection_);
    const auto result = create_order(tx, c.identifier, user, c.total, c.items);
    EXPECT_EQ(result.status, "invalid") << c.name;
    EXPECT_FALSE(result.message.empty()) << c.name;
    EXPECT_TRUE(result.metadata.contains("field")) << c.name;
    tx.commit();

    pqxx::work check(connection_);
    EXPECT_EQ(
        check.exec_params1("SELECT count(*) FROM tb_order WHERE identifier = $1", c.identifier)[0]
            .as<int>(),
        0)
        << c.name;
    EXPECT_EQ(
        check.exec_params1("SELECT count(*) FROM tb_user WHERE identifier = $1", user)[0].as<int>(),
        0)
        << c.name << ": not even the user is created";
  }
}

TEST_F(Schema, ConcurrentCreatesWithOneNewIdentifierYieldOneOrder) {
  const auto identifier = unique_id("race");
  const auto user = unique_id("user");
  const auto waiter_name = unique_id("race-waiter");

  pqxx::work first(connection_);
  const auto created = create_order(first, identifier, user, "9.99");
  ASSERT_EQ(created.status, "created");

  // The second call must wait for the first transaction, then answer from its committed row.
  auto second = std::async(std::launch::async, [&] {
    pqxx::connection other(url());
    pqxx::work tx(other);
    tx.exec("SET application_name = " + tx.quote(waiter_name));
    auto result = create_order(tx, identifier, user, "9.99");
    tx.commit();
    return result;
  });

  pqxx::connection observer(url());
  bool waiting = false;
  for (int attempt = 0; attempt < 200 && !waiting; ++attempt) {
    pqxx::work tx(observer);
    waiting = tx.exec_params1(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE application_name = $1 AND wait_event_type = 'Lock'",
                    waiter_name)[0]
                  .as<int>() == 1;
    if (!waiting)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(waiting) << "the second call should block on the first one's insert";
  first.commit();

  const auto result = second.get();
  EXPECT_EQ(result.status, "existing") << result.message;
  EXPECT_EQ(result.entity_id, created.entity_id);
}

TEST_F(Schema, OrderApiSeesNothingWithoutAUser) {
  pqxx::work tx(connection_);
  new_order(tx, unique_id("rls"), unique_id("alice"));
  ASSERT_GT(tx.exec1("SELECT count(*) FROM tb_order")[0].as<int>(), 0);
  tx.exec("SET LOCAL ROLE order_api");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM tb_order")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM v_order")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM tb_order_item")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM tb_user")[0].as<int>(), 0);
  // An empty setting (what a finished SET LOCAL leaves behind) means nobody too.
  tx.exec("SELECT set_config('app.user_id', '', true)");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM v_order")[0].as<int>(), 0);
}

TEST_F(Schema, OrderApiSeesOnlyTheCurrentUsersOrders) {
  const auto alice = unique_id("alice");
  const auto bob = unique_id("bob");
  const auto alice_order = unique_id("rls-a");
  const auto bob_order = unique_id("rls-b");
  pqxx::work tx(connection_);
  new_order(tx, alice_order, alice);
  const auto bob_id = new_order(tx, bob_order, bob);

  // Rows of this very transaction are subject to the same policies as committed ones.
  tx.exec("SET LOCAL ROLE order_api");
  tx.exec_params("SELECT set_config('app.user_id', $1, true)", alice);
  const auto visible = tx.exec_params("SELECT identifier FROM v_order WHERE identifier IN ($1, $2)",
                                      alice_order, bob_order);
  ASSERT_EQ(visible.size(), 1U);
  EXPECT_EQ(visible[0][0].as<std::string>(), alice_order);
  EXPECT_EQ(
      tx.exec_params1("SELECT count(*) FROM tb_order WHERE id = $1::uuid", bob_id)[0].as<int>(), 0);
  EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM tb_order_item WHERE identifier LIKE $1",
                            bob_order + "/%")[0]
                .as<int>(),
            0);
  EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM tb_order_item WHERE identifier LIKE $1",
                            alice_order + "/%")[0]
                .as<int>(),
            1);

  // Through the API role: bob's identifier is taken (without revealing the order), a retry of
  // alice's own is 'existing', and a new one is created for her.
  const auto taken = create_order(tx, bob_order, alice, "1.00");
  EXPECT_EQ(taken.status, "conflict");
  EXPECT_FALSE(taken.entity_id.has_value());
  EXPECT_EQ(create_order(tx, alice_order, alice, "9.99").status, "existing");
  EXPECT_EQ(
      create_order(tx, unique_id("rls-new"), alice, "1.00", R"([{"sku":"gadget","quantity":1}])")
          .status,
      "created");
}

TEST_F(Schema, OrderApiCannotActForAnotherUserOrChangeStatus) {
  const auto alice = unique_id("alice");
  pqxx::work tx(connection_);
  const auto order_id = new_order(tx, unique_id("rls-w"), alice);
  // Each attempt runs in a savepoint: its error, and its role switch, end with it.
  const auto as_alice = [&](pqxx::subtransaction& sub) {
    sub.exec("SET LOCAL ROLE order_api");
    sub.exec_params("SELECT set_config('app.user_id', $1, true)", alice);
  };
  {
    pqxx::subtransaction sub(tx, "other user");
    as_alice(sub);
    EXPECT_THROW(create_order(sub, unique_id("rls-x"), unique_id("mallory"), "1.00"),
                 pqxx::insufficient_privilege);
  }
  {
    pqxx::subtransaction sub(tx, "status function");
    as_alice(sub);
    EXPECT_THROW(update_status(sub, order_id, "paid"), pqxx::insufficient_privilege);
  }
  {
    pqxx::subtransaction sub(tx, "direct update");
    as_alice(sub);
    EXPECT_THROW(
        sub.exec_params("UPDATE tb_order SET status = 'paid' WHERE id = $1::uuid", order_id),
        pqxx::insufficient_privilege);
  }
  EXPECT_EQ(order_row(tx, order_id).status, "pending");
}

TEST_F(Schema, InventoryCannotReserveMoreThanItHolds) {
  pqxx::work tx(connection_);
  const auto sku = unique_id("stock");
  tx.exec_params("INSERT INTO tb_inventory (sku, quantity, reserved) VALUES ($1, 5, 5)", sku);
  EXPECT_THROW(tx.exec_params("UPDATE tb_inventory SET reserved = 6 WHERE sku = $1", sku),
               pqxx::check_violation);
  // Rolled back: the test product never becomes visible to anyone.
}

TEST_F(Schema, OutboxWritesSendNoNotify) {
  // Relays are woken in process (sql/010): a NOTIFY at commit would serialise every outbox-writing
  // commit in the cluster behind the previous one's WAL flush.
  pqxx::work tx(connection_);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_trigger WHERE tgrelid IN (SELECT oid FROM pg_class "
                     "WHERE relname = 'tb_outbox') AND NOT tgisinternal")[0]
                .as<int>(),
            0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                     "WHERE n.nspname IN ('public', 'order_service', 'inventory_worker', "
                     "'payment_worker', 'shipping_worker', 'event_monitor') "
                     "AND (prosrc ILIKE '%pg_notify%' OR prosrc ~* '\\mNOTIFY\\M')")[0]
                .as<int>(),
            0)
      << "no function of the schema notifies";
}

TEST_F(Schema, AStatusChangeWritesNoIndexOfTheOrder) {
  // sql/011: a status change (fn_update_order_status) sets only columns no index covers, so it is
  // a HOT update instead of an insertion into every index of tb_order, twice per order.
  pqxx::work tx(connection_);
  const auto indexed = tx.exec(
      "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'tb_order'::regclass AND ("
      "  EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = indrelid"
      "          AND a.attnum = ANY (indkey::int2[])"
      "          AND a.attname IN ('status', 'updated_at', 'failure_reason'))"
      "  OR coalesce(pg_get_expr(indexprs, indrelid), '') ~ '(status|updated_at|failure_reason)'"
      "  OR coalesce(pg_get_expr(indpred, indrelid), '') ~ '(status|updated_at|failure_reason)')");
  for (const auto& row : indexed)
    ADD_FAILURE() << row[0].as<std::string>() << " covers a column a status change writes";
  EXPECT_NE(tx.exec1("SELECT array_to_string(reloptions, ',') FROM pg_class"
                     " WHERE oid = 'tb_order'::regclass")[0]
                .as<std::string>("")
                .find("fillfactor="),
            std::string::npos)
      << "tb_order leaves room in its pages for the new row version of a status change";
}

TEST_F(Schema, AnEventIsLoggedAndPublishedThroughOnlyTheBtreesSomethingReads) {
  // sql/011: per event, the log inserts into its key, its event id and the order's trail, and the
  // outbox's published_at index takes a row only when it is marked published.
  pqxx::work tx(connection_);
  EXPECT_EQ(
      tx.exec1("SELECT string_agg(definition, E'\\n' ORDER BY definition) FROM ("
               " SELECT pg_get_indexdef(indexrelid) AS definition"
               " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
               " JOIN pg_am am ON am.oid = c.relam"
               " WHERE indrelid = 'tb_event_log'::regclass AND am.amname = 'btree') d")[0]
          .as<std::string>(),
      "CREATE INDEX tb_event_log_order_id_idx ON event_monitor.tb_event_log USING btree (order_id, "
      "stream_seq)\n"
      "CREATE UNIQUE INDEX tb_event_log_identifier_key ON event_monitor.tb_event_log USING btree "
      "(identifier)\n"
      "CREATE UNIQUE INDEX tb_event_log_pkey ON event_monitor.tb_event_log USING btree "
      "(pk_event_log)");
  EXPECT_EQ(tx.exec1("SELECT pg_get_expr(indpred, indrelid) FROM pg_index"
                     " WHERE indexrelid = 'tb_outbox_published_at_idx'::regclass")[0]
                .as<std::string>(""),
            "(published_at IS NOT NULL)");
}

TEST_F(Schema, EventLogTimesAreDistinctWithinOneTransaction) {
  pqxx::work tx(connection_);
  const auto first = unique_id("evt");
  const auto second = unique_id("evt");
  for (const auto& [identifier, seq] : {std::pair{first, 1}, std::pair{second, 2}}) {
    tx.exec_params(
        "INSERT INTO tb_event_log (identifier, event_type, order_id, data, stream_seq)"
        " VALUES ($1, 'events.test', gen_random_uuid(), '{}', $2)",
        identifier, seq);
  }
  EXPECT_TRUE(tx.exec_params1("SELECT (SELECT recorded_at FROM tb_event_log WHERE identifier = $2)"
                              "     > (SELECT recorded_at FROM tb_event_log WHERE identifier = $1)",
                              first, second)[0]
                  .as<bool>());
  // Rolled back.
}

}  // namespace
