// The GraphQL API of the order service, over HTTP, against the stack: the seed's requests, auth,
// validation, row-level security, idempotent createOrder, and the crash windows around the
// publication of events.order.created.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "events/event.hpp"
#include "graphql_client.hpp"
#include "harness.hpp"
#include "polling.hpp"
#include "stack_clients.hpp"
#include "stack_env.hpp"
#include "token/hs256_token.hpp"

namespace choreo::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string base64url(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    value = (value << 8) | c;
    bits += 8;
    while (bits >= 6) {
      out += alphabet[(value >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits > 0)
    out += alphabet[(value << (6 - bits)) & 63];
  return out;
}

class GraphQLApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = connect_database();
    Harness harness = Harness::for_current_stack();
    for (const char* service : {"order-service", "event-monitor"}) {
      if (!harness.running(service))
        harness.start(service);
    }
  }

  static std::string create_order_mutation(const std::string& identifier,
                                           const std::string& total = "49.99") {
    return R"(mutation { createOrder(input: { identifier: ")" + identifier + R"(", total: ")" +
           total + R"(" }) { id status } })";
  }

  long long orders_named(const std::string& identifier) {
    return query_count(
        *db_, "SELECT count(*) FROM tb_order WHERE identifier = " + db_->quote(identifier));
  }

  long long logged(const std::string& order_id, const std::string& subject) {
    return query_count(
        *db_, "SELECT count(*) FROM tb_event_log WHERE order_id = " + db_->quote(order_id) +
                  "::uuid AND event_type = " + db_->quote(subject));
  }

  // createOrder through the API with variables; returns the reply.
  GraphQLReply create(const json& input, const std::string& user = "alice") {
    return graphql(
        "mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { id status } }",
        {{"input", input}}, token_for(user));
  }

  std::unique_ptr<pqxx::connection> db_;
};

TEST_F(GraphQLApiTest, SeedCreateOrderThenReadItBack) {
  const auto identifier = "ord-" + unique_suffix();
  const auto created =
      graphql(create_order_mutation(identifier), nullptr, StackEnv::current().get("TOKEN"));
  ASSERT_EQ(created.status, 200) << created.body.dump();
  ASSERT_FALSE(created.body.contains("errors")) << created.body.dump();
  const auto order = created.body["data"]["createOrder"];
  ASSERT_EQ(order.size(), 2u) << "exactly the selected fields: " << order.dump();
  EXPECT_EQ(order["status"], "pending");
  const std::string id = order["id"];
  EXPECT_TRUE(events::is_uuid(id));
  EXPECT_EQ(created.content_type, "application/json; charset=utf-8");

  const auto read = graphql(R"(query { order(id: ")" + id + R"(") { id status } })", nullptr,
                            StackEnv::current().get("TOKEN"));
  EXPECT_EQ(read.body["data"]["order"]["id"], id);
  ASSERT_TRUE(eventually([&] { return logged(id, "events.order.created") == 1; }))
      << "the event monitor logged the order's creation";
}

TEST_F(GraphQLApiTest, CreateOrderWithItemsPricesThemAndPublishesThem) {
  const auto reply = graphql(
      R"(mutation ($input: CreateOrderInput!) { createOrder(input: $input) {
           id total status failureReason createdAt updatedAt
           items { sku quantity unitPrice } payment { id } shipment { carrier } } })",
      {{"input",
        {{"identifier", "ord-items-" + unique_suffix()},
         {"total", "69.47"},
         {"items", {{{"sku", "widget"}, {"quantity", 2}}, {{"sku", "gadget"}, {"quantity", 2}}}},
         {"shippingAddress", "1 Main St"}}}});
  ASSERT_FALSE(reply.body.contains("errors")) << reply.body.dump();
  const auto order = reply.body["data"]["createOrder"];
  EXPECT_EQ(order["total"], "69.47");
  EXPECT_EQ(order["items"], json::parse(R"([{"sku":"widget","quantity":2,"unitPrice":"9.99"},
                                            {"sku":"gadget","quantity":2,"unitPrice":"24.50"}])"));
  EXPECT_TRUE(order["failureReason"].is_null());
  EXPECT_TRUE(order["payment"].is_null());
  EXPECT_EQ(std::string(order["createdAt"]).back(), 'Z');
  const std::string id = order["id"];
  ASSERT_TRUE(eventually([&] { return logged(id, "events.order.created") == 1; }));
  const auto payload = json::parse(query_value(
      *db_,
      "SELECT data::text FROM tb_event_log WHERE event_type = 'events.order.created' AND "
      "order_id = " +
          db_->quote(id) + "::uuid"));
  EXPECT_EQ(payload["items"], json::parse(R"([{"sku":"widget","quantity":2},
                                              {"sku":"gadget","quantity":2}])"));
  EXPECT_EQ(payload["shipping_address"], "1 Main St");
}

TEST_F(GraphQLApiTest, EachBadInputIsBadUserInputAndWritesNothing) {
  const auto suffix = unique_suffix();
  const struct {
    const char* name;
    json input;
  } cases[] = {
      {"unknown sku",
       {{"identifier", "bad-sku-" + suffix},
        {"total", "1.00"},
        {"items", {{{"sku", "no-such-thing"}, {"quantity", 1}}}}}},
      {"quantity 0",
       {{"identifier", "bad-qty-" + suffix},
        {"total", "1.00"},
        {"items", {{{"sku", "widget"}, {"quantity", 0}}}}}},
      {"negative total", {{"identifier", "bad-neg-" + suffix}, {"total", "-1.00"}}},
      {"three places", {{"identifier", "bad-places-" + suffix}, {"total", "1.234"}}},
      {"not a number", {{"identifier", "bad-nan-" + suffix}, {"total", "abc"}}},
      {"too large", {{"identifier", "bad-big-" + suffix}, {"total", "100000000.00"}}},
      {"float total", {{"identifier", "bad-float-" + suffix}, {"total", 49.99}}},
      {"bad characters", {{"identifier", "bad id!" + suffix}, {"total", "1.00"}}},
      {"too long", {{"identifier", std::string(129, 'x')}, {"total", "1.00"}}},
      {"empty identifier", {{"identifier", ""}, {"total", "1.00"}}},
  };
  const auto before = query_count(*db_, "SELECT count(*) FROM tb_order");
  for (const auto& c : cases) {
    const auto reply = create(c.input);
    EXPECT_EQ(reply.status, 200) << c.name;
    EXPECT_EQ(reply.first_error_code(), "BAD_USER_INPUT") << c.name << ": " << reply.body.dump();
    EXPECT_FALSE(reply.first_error_message().empty()) << c.name;
    EXPECT_EQ(orders_named(c.input["identifier"]), 0) << c.name;
  }
  // Also written inline, where the engine coerces the literal itself.
  const auto inline_reply = graphql(create_order_mutation("bad-inline-" + suffix, "1.5e3"));
  EXPECT_EQ(inline_reply.first_error_code(), "BAD_USER_INPUT") << inline_reply.body.dump();
  EXPECT_EQ(query_count(*db_, "SELECT count(*) FROM tb_order"), before);
}

TEST_F(GraphQLApiTest, RepeatedCreateOrderReturnsTheSameOrderAndPublishesOnce) {
  const json input = {{"identifier", "ord-retry-" + unique_suffix()}, {"total", "12.00"}};
  const auto first = create(input);
  const auto second = create(input);
  ASSERT_FALSE(first.body.contains("errors")) << first.body.dump();
  ASSERT_FALSE(second.body.contains("errors")) << second.body.dump();
  const std::string id = first.body["data"]["createOrder"]["id"];
  EXPECT_EQ(second.body["data"]["createOrder"]["id"], id);
  EXPECT_EQ(query_count(*db_,
                        "SELECT count(*) FROM tb_outbox WHERE subject = "
                        "'events.order.created' AND payload->>'order_id' = " +
                            db_->quote(id)),
            1);

  const auto other = create(input, "bob-" + unique_suffix());
  EXPECT_EQ(other.first_error_code(), "CONFLICT") << other.body.dump();
  EXPECT_TRUE(other.body["data"].is_null());
  EXPECT_EQ(orders_named(input["identifier"]), 1);
}

TEST_F(GraphQLApiTest, UsersSeeOnlyTheirOwnOrdersThroughTheApi) {
  const auto alice = "alice-" + unique_suffix();
  const auto bob = "bob-" + unique_suffix();
  const auto made =
      create({{"identifier", "ord-alice-" + unique_suffix()}, {"total", "5.00"}}, alice);
  const std::string id = made.body["data"]["createOrder"]["id"];
  const auto by_bob = graphql(R"(query { order(id: ")" + id + R"(") { id } orders { id } })",
                              nullptr, token_for(bob));
  EXPECT_FALSE(by_bob.body.contains("errors")) << by_bob.body.dump();
  EXPECT_TRUE(by_bob.body["data"]["order"].is_null());
  EXPECT_EQ(by_bob.body["data"]["orders"], json::array());
  const auto by_alice = graphql(R"(query { order(id: ")" + id + R"(") { id } orders { id } })",
                                nullptr, token_for(alice));
  EXPECT_EQ(by_alice.body["data"]["order"]["id"], id);
  EXPECT_EQ(by_alice.body["data"]["orders"], json::parse(R"([{"id":")" + id + R"("}])"));
}

// Row-level security holds in SQL, whatever query the service might send: under the API's
// role, only the user named by app.user_id sees rows, and nobody sees any without it.
TEST_F(GraphQLApiTest, RowLevelSecurityHidesOtherUsersOrdersInSql) {
  const auto alice = "alice-" + unique_suffix();
  const auto made =
      create({{"identifier", "ord-rls-" + unique_suffix()}, {"total", "5.00"}}, alice);
  const std::string id = made.body["data"]["createOrder"]["id"];
  const auto visible = [&](const std::optional<std::string>& user, const std::string& table) {
    pqxx::work tx(*db_);
    tx.exec0("SET LOCAL ROLE order_api");
    if (user)
      tx.exec_params("SELECT set_config('app.user_id', $1, true)", *user);
    const auto n = tx.exec_params1("SELECT count(*) FROM " + table + " WHERE id = $1::uuid", id)[0]
                       .as<long long>();
    tx.abort();
    return n;
  };
  EXPECT_EQ(visible(alice, "tb_order"), 1);
  EXPECT_EQ(visible(alice, "v_order"), 1);
  EXPECT_EQ(visible(std::string("bob"), "tb_order"), 0);
  EXPECT_EQ(visible(std::string("bob"), "v_order"), 0);
  EXPECT_EQ(visible(std::nullopt, "tb_order"), 0);
  EXPECT_EQ(visible(std::nullopt, "v_order"), 0);
  pqxx::work tx(*db_);
  tx.exec0("SET LOCAL ROLE order_api");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM tb_order")[0].as<long long>(), 0)
      << "no user set: no order row at all";
  EXPECT_THROW(tx.exec_params("UPDATE tb_order SET status = 'shipped' WHERE id = $1::uuid", id),
               pqxx::insufficient_privilege);
}

TEST_F(GraphQLApiTest, RequestsWithoutAValidTokenAre401) {
  const auto secret = StackEnv::current().get("JWT_SECRET");
  ctl::TokenClaims expired;
  expired.subject = "alice";
  expired.issued_at = std::chrono::system_clock::now() - 2h;
  expired.ttl = 1h;
  ctl::TokenClaims valid;
  valid.subject = "alice";
  valid.issued_at = std::chrono::system_clock::now();
  valid.ttl = 1h;
  const auto payload =
      base64url(R"({"sub":"alice","exp":)" + std::to_string(std::time(nullptr) + 3600) + "}");
  const std::string alg_none = base64url(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".";
  const struct {
    const char* name;
    std::optional<std::string> authorization;
  } cases[] = {
      {"missing", std::nullopt},
      {"other scheme", "Basic YWxpY2U6c2VjcmV0"},
      {"garbage", "Bearer not.a.token"},
      {"expired", "Bearer " + ctl::make_hs256_token(secret, expired)},
      {"wrong key", "Bearer " + ctl::make_hs256_token(std::string(40, 'k'), valid)},
      {"alg none", "Bearer " + alg_none},
  };
  for (const auto& c : cases) {
    std::map<std::string, std::string> fields = {{"Content-Type", "application/json"}};
    if (c.authorization)
      fields["Authorization"] = *c.authorization;
    const auto reply = http_request("POST", StackEnv::current().get("GRAPHQL_URL"), fields,
                                    R"({"query":"{ products { sku } }"})");
    EXPECT_EQ(reply.status, 401) << c.name;
    const auto body = json::parse(reply.body, nullptr, false);
    EXPECT_EQ(body.value("/errors/0/extensions/code"_json_pointer, ""), "UNAUTHENTICATED")
        << c.name << ": " << reply.body;
    EXPECT_EQ(reply.headers.count("www-authenticate"), 1u) << c.name;
  }
}

TEST_F(GraphQLApiTest, VariablesAliasesFragmentsAndDirectives) {
  const auto made = create({{"identifier", "ord-frag-" + unique_suffix()}, {"total", "7.50"}});
  const std::string id = made.body["data"]["createOrder"]["id"];
  const auto reply = graphql(R"(
      query Read($id: ID!, $withTotal: Boolean!, $skipStatus: Boolean = true) {
        first: order(id: $id) { ...Basics total @include(if: $withTotal) }
        second: order(id: $id) { ... on Order { kind: __typename } status @skip(if: $skipStatus) }
        cheap: products { sku }
      }
      fragment Basics on Order { id identifier })",
                             {{"id", id}, {"withTotal", true}});
  ASSERT_FALSE(reply.body.contains("errors")) << reply.body.dump();
  const auto& data = reply.body["data"];
  EXPECT_EQ(data["first"]["id"], id);
  EXPECT_EQ(data["first"]["total"], "7.50");
  EXPECT_EQ(data["second"], json::parse(R"({"kind":"Order"})"));
  EXPECT_GE(data["cheap"].size(), 5u);
  // Response keys keep the order of the selection set.
  const auto first = reply.raw.find("\"first\"");
  const auto second = reply.raw.find("\"second\"");
  const auto cheap = reply.raw.find("\"cheap\"");
  EXPECT_TRUE(first < second && second < cheap) << reply.raw;
}

TEST_F(GraphQLApiTest, DocumentErrorsNameTheirCodeAndPlace) {
  const auto parse = graphql("query { order(id: \"x\") { id }");
  EXPECT_EQ(parse.first_error_code(), "GRAPHQL_PARSE_FAILED") << parse.body.dump();
  EXPECT_TRUE(parse.body["errors"][0].contains("locations"));
  EXPECT_FALSE(parse.body.contains("data"));

  const auto unknown_field = graphql("{ products { sku colour } }");
  EXPECT_EQ(unknown_field.first_error_code(), "GRAPHQL_VALIDATION_FAILED");
  EXPECT_EQ(unknown_field.body["errors"][0]["locations"][0],
            json::parse(R"({"line":1,"column":18})"));
  EXPECT_EQ(graphql("{ orders(first: 3) { id } }").first_error_code(), "GRAPHQL_VALIDATION_FAILED");
  EXPECT_EQ(graphql("query ($x: Colour) { products { sku } }").first_error_code(),
            "GRAPHQL_VALIDATION_FAILED");
  EXPECT_EQ(graphql("{ orders(limit: 0) { id } }").first_error_code(), "BAD_USER_INPUT");
  EXPECT_EQ(graphql("{ orders(limit: 101) { id } }").first_error_code(), "BAD_USER_INPUT");
}

TEST_F(GraphQLApiTest, GetServesQueriesButRefusesMutations) {
  const auto& url = StackEnv::current().get("GRAPHQL_URL");
  const std::map<std::string, std::string> auth = {
      {"Authorization", "Bearer " + token_for("alice")}};
  const auto query =
      http_request("GET", url + "?query=%7B%20products%20%7B%20sku%20%7D%20%7D", auth);
  EXPECT_EQ(query.status, 200) << query.body;
  EXPECT_TRUE(json::parse(query.body)["data"]["products"].is_array());
  const auto mutation = http_request(
      "GET",
      url + "?query=mutation%20%7B%20createOrder(input%3A%20%7Bidentifier%3A%20%22get-" +
          unique_suffix() + "%22%2C%20total%3A%20%221.00%22%7D)%20%7B%20id%20%7D%20%7D",
      auth);
  EXPECT_EQ(mutation.status, 405);
  EXPECT_EQ(mutation.headers.at("allow"), "POST");
}

TEST_F(GraphQLApiTest, GraphQLResponseJsonCarriesStatusCodes) {
  const auto& url = StackEnv::current().get("GRAPHQL_URL");
  const std::map<std::string, std::string> fields = {
      {"Authorization", "Bearer " + token_for("alice")},
      {"Content-Type", "application/json"},
      {"Accept", "application/graphql-response+json, application/json;q=0.9"}};
  const auto invalid = http_request("POST", url, fields, R"({"query":"{ nope }"})");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid.headers.at("content-type"), "application/graphql-response+json; charset=utf-8");
  const auto fine = http_request("POST", url, fields, R"({"query":"{ products { sku } }"})");
  EXPECT_EQ(fine.status, 200);
  const auto not_json = http_request("POST", url, fields, "{");
  EXPECT_EQ(not_json.status, 400);
  auto text = fields;
  text["Content-Type"] = "text/plain";
  EXPECT_EQ(http_request("POST", url, text, R"({"query":"{ products { sku } }"})").status, 415);
}

TEST_F(GraphQLApiTest, BodiesPastOneMebibyteAre413) {
  const std::string big =
      R"({"query":"{ products { sku } }","pad":")" + std::string(std::size_t{1} << 20, 'x') + "\"}";
  const auto reply = http_request(
      "POST", StackEnv::current().get("GRAPHQL_URL"),
      {{"Authorization", "Bearer " + token_for("alice")}, {"Content-Type", "application/json"}},
      big);
  EXPECT_EQ(reply.status, 413);
}

TEST_F(GraphQLApiTest, QueryLimitsAreErrorsNotCrashes) {
  std::string aliases = "{";
  for (int i = 0; i < 101; ++i)
    aliases += " a" + std::to_string(i) + ": products { sku }";
  aliases += " }";
  EXPECT_EQ(graphql(aliases).first_error_code(), "GRAPHQL_VALIDATION_FAILED");
  EXPECT_EQ(graphql(std::string(300, '{') + std::string(300, '}')).first_error_code(),
            "GRAPHQL_PARSE_FAILED");
  EXPECT_EQ(graphql("{ products { sku } }").status, 200) << "the service is still up";
}

TEST_F(GraphQLApiTest, OrdersListsNewestFirstWithNestedFields) {
  const auto user = "lister-" + unique_suffix();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    const auto made = create({{"identifier", "ord-list-" + unique_suffix()},
                              {"total", "1.00"},
                              {"items", {{{"sku", "widget"}, {"quantity", i + 1}}}}},
                             user);
    ids.push_back(made.body["data"]["createOrder"]["id"]);
  }
  const auto reply = graphql(
      "{ orders(limit: 2) { id items { quantity } events { type } } "
      "rest: orders(limit: 2, offset: 2) { id } }",
      nullptr, token_for(user));
  ASSERT_FALSE(reply.body.contains("errors")) << reply.body.dump();
  const auto& page = reply.body["data"]["orders"];
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0]["id"], ids[2]);
  EXPECT_EQ(page[0]["items"][0]["quantity"], 3);
  EXPECT_EQ(page[1]["id"], ids[1]);
  EXPECT_EQ(reply.body["data"]["rest"][0]["id"], ids[0]);
}

// The API commits the order with its outbox row, then the process dies before the relay could
// publish: the restarted relay publishes it, once.
TEST_F(GraphQLApiTest, CrashAfterCommitBeforePublishLosesNothing) {
  Harness harness = Harness::for_current_stack();
  harness.restart("order-service", {{"FAULT_POINT", "after_commit_before_publish"}});
  const auto identifier = "ord-crash1-" + unique_suffix();
  const auto reply = create({{"identifier", identifier}, {"total", "3.00"}});
  EXPECT_EQ(reply.status, 0) << "the process exits before answering: " << reply.body.dump();
  ASSERT_TRUE(eventually([&] { return !harness.running("order-service"); }));
  EXPECT_EQ(harness.last_exit_code("order-service"), 86);
  harness.start("order-service");
  ASSERT_EQ(orders_named(identifier), 1);
  const auto id = query_value(
      *db_, "SELECT id::text FROM tb_order WHERE identifier = " + db_->quote(identifier));
  ASSERT_TRUE(eventually([&] { return logged(id, "events.order.created") == 1; }));
  // The client's retry finds the same order and publishes nothing new.
  const auto retry = create({{"identifier", identifier}, {"total", "3.00"}});
  EXPECT_EQ(retry.body["data"]["createOrder"]["id"], id);
  EXPECT_EQ(query_count(*db_, "SELECT count(*) FROM tb_outbox WHERE payload->>'order_id' = " +
                                  db_->quote(id) + " AND subject = 'events.order.created'"),
            1);
}

// The relay published, then died before marking the row: the restarted relay publishes it again
// under the same Nats-Msg-Id, and JetStream drops the repeat.
TEST_F(GraphQLApiTest, CrashAfterPublishBeforeMarkingSentDuplicatesNothing) {
  Harness harness = Harness::for_current_stack();
  harness.restart("order-service", {{"FAULT_POINT", "after_publish_before_mark_sent"}});
  const auto identifier = "ord-crash2-" + unique_suffix();
  create({{"identifier", identifier}, {"total", "4.00"}});
  ASSERT_TRUE(eventually([&] { return !harness.running("order-service"); }));
  EXPECT_EQ(harness.last_exit_code("order-service"), 86);
  harness.start("order-service");
  const auto id = query_value(
      *db_, "SELECT id::text FROM tb_order WHERE identifier = " + db_->quote(identifier));
  ASSERT_TRUE(eventually([&] {
    return query_count(*db_,
                       "SELECT count(*) FROM tb_outbox WHERE published_at IS NOT NULL "
                       "AND payload->>'order_id' = " +
                           db_->quote(id)) >= 1;
  }));
  ASSERT_TRUE(eventually([&] { return logged(id, "events.order.created") == 1; }));
  // Given the monitor time to log a second copy, were there one.
  ASSERT_TRUE(eventually([&] {
    const auto state =
        connect_jetstream("graphql-api-test")->consumer_state("events", "event_monitoring");
    return state.num_pending == 0 && state.num_ack_pending == 0;
  }));
  EXPECT_EQ(logged(id, "events.order.created"), 1);
}

}  // namespace
}  // namespace choreo::testing
