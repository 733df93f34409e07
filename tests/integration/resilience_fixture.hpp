#pragma once
// What the resilience and graceful-shutdown suites share: the five services seen from outside
// (their PIDs, health endpoints and the API), orders placed through createOrder, and the
// invariants that say nothing was lost or done twice.

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "graphql_client.hpp"
#include "http_client.hpp"
#include "worker_fixture.hpp"

namespace choreo::testing {

inline constexpr const char* kServices[] = {"order-service", "inventory-worker", "payment-worker",
                                            "shipping-worker", "event-monitor"};

// createOrder through the API for `sku` x `quantity`; the raw HTTP result, so a test sees the
// status and headers of a refusal too.
inline HttpResult api_create_order(const std::string& identifier, const std::string& sku,
                                   int quantity) {
  const nlohmann::json request = {
      {"query",
       "mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id status } }"},
      {"variables",
       {{"input",
         {{"identifier", identifier},
          {"total", "10.00"},
          {"items", {{{"sku", sku}, {"quantity", quantity}}}},
          {"shippingAddress", "1 Resilience Road"}}}}}};
  return http_request(
      "POST", StackEnv::current().get("GRAPHQL_URL"),
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_for("alice")}},
      request.dump());
}

// The created order's id, or "" when the API did not accept it.
inline std::string created_id(const HttpResult& result) {
  if (result.status != 200)
    return "";
  const auto body = nlohmann::json::parse(result.body, nullptr, false);
  if (!body.is_object() || body.contains("errors"))
    return "";
  return body.value(nlohmann::json::json_pointer("/data/createOrder/id"), std::string());
}

class ResilienceFixture : public WorkerFixture {
 protected:
  // The service's health address (ORDER_SERVICE_URL, ...) from the stack's env file.
  static std::string base_url(const std::string& service) {
    std::string stem;
    for (const char c : service)
      stem += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return StackEnv::current().get(stem + "_URL");
  }

  static int probe(const std::string& service, const std::string& path) {
    return http_get(base_url(service) + path).status;
  }

  // The PID the harness recorded for the service's current run (0 when none).
  static long pid_of(const std::string& service) {
    std::ifstream file(StackEnv::current().stack_dir() + "/pids/" + service + ".pid");
    long pid = 0;
    file >> pid;
    return pid;
  }

  static std::map<std::string, long> service_pids() {
    std::map<std::string, long> pids;
    for (const char* service : kServices)
      pids[service] = pid_of(service);
    return pids;
  }

  // Every service answers /readyz with `status`.
  static bool all_ready_status(int status) {
    for (const char* service : kServices) {
      if (probe(service, "/readyz") != status)
        return false;
    }
    return true;
  }

  std::string place_order(const std::string& identifier, const std::string& sku, int quantity) {
    const auto result = api_create_order(identifier, sku, quantity);
    const auto id = created_id(result);
    EXPECT_FALSE(id.empty()) << identifier << ": " << result.status << " " << result.body;
    return id;
  }

  // {durable: {num_pending, num_ack_pending}} from the NATS monitoring endpoint.
  static std::map<std::string, std::pair<long long, long long>> consumer_backlogs() {
    std::map<std::string, std::pair<long long, long long>> backlogs;
    const auto reply =
        http_get(StackEnv::current().get("NATS_MONITOR_URL") + "/jsz?consumers=true");
    const auto report = json::parse(reply.body, nullptr, false);
    if (!report.is_object())
      return backlogs;
    for (const auto& account : report.value("account_details", json::array())) {
      for (const auto& stream : account.value("stream_detail", json::array())) {
        for (const auto& consumer : stream.value("consumer_detail", json::array())) {
          backlogs[consumer.value("name", "")] = {consumer.value("num_pending", 0LL),
                                                  consumer.value("num_ack_pending", 0LL)};
        }
      }
    }
    return backlogs;
  }

  // Every durable of the choreography has nothing pending and nothing unacknowledged.
  static bool all_consumers_settled() {
    const auto backlogs = consumer_backlogs();
    if (backlogs.empty())
      return false;
    for (const auto& [name, backlog] : backlogs) {
      if (backlog.first != 0 || backlog.second != 0)
        return false;
    }
    return true;
  }

  static std::string describe_backlogs() {
    std::string text;
    for (const auto& [name, backlog] : consumer_backlogs()) {
      text += name + ": pending " + std::to_string(backlog.first) + ", ack pending " +
              std::to_string(backlog.second) + "; ";
    }
    return text;
  }

  // SQL condition selecting the orders whose identifier starts with `prefix`, for `o` = tb_order.
  std::string orders_named_like(const std::string& prefix) {
    return "o.identifier LIKE " + db_->quote(prefix + "%");
  }

  long long count(const std::string& sql) { return query_count(*db_, sql); }

  // The checks of "nothing lost, nothing twice" over the orders matched by `orders` (a condition
  // on tb_order o), all of one product `sku`, each for `quantity` units.
  void expect_invariants(const std::string& orders, const std::string& sku, int quantity) {
    const auto from = " FROM tb_order o WHERE " + orders;
    EXPECT_EQ(count("SELECT count(*)" + from + " AND o.status NOT IN ('shipped', 'failed')"), 0)
        << "every order is terminal";
    EXPECT_EQ(count("SELECT count(*)" + from +
                    " AND o.status = 'shipped' AND (SELECT count(*) FROM tb_payment p WHERE "
                    "p.order_id = o.id AND p.status = 'succeeded') <> 1"),
              0)
        << "exactly one successful payment per shipped order";
    EXPECT_EQ(count("SELECT count(*)" + from +
                    " AND o.status = 'failed' AND EXISTS (SELECT 1 FROM tb_payment p WHERE "
                    "p.order_id = o.id AND p.status = 'succeeded')"),
              0)
        << "no failed order was charged";
    EXPECT_EQ(count("SELECT count(*)" + from +
                    " AND (SELECT count(*) FROM tb_shipping s WHERE s.order_id = o.id) <> "
                    "(CASE WHEN o.status = 'shipped' THEN 1 ELSE 0 END)"),
              0)
        << "one shipment per shipped order, none for failed ones";
    EXPECT_EQ(
        count("SELECT count(*)" + from +
              " AND (SELECT count(*) FROM tb_reservation_set r WHERE r.order_id = o.id) <> 1"),
        0)
        << "one reservation decision per order";
    const auto held = count("SELECT count(*)" + from + " AND o.status = 'shipped'") * quantity;
    EXPECT_EQ(reserved(sku), held) << "stock held exactly by the orders that did not fail";
    // Every event the services announced for these orders was published and logged once.
    const auto events = " FROM " + runtime::every_service_table("tb_outbox", "x") +
                        " JOIN tb_order o ON x.payload->>'order_id' = o.id::text WHERE " + orders;
    EXPECT_EQ(count("SELECT count(*)" + events + " AND x.published_at IS NULL"), 0)
        << "every outbox row published";
    EXPECT_EQ(count("SELECT count(*)" + events +
                    " AND (SELECT count(*) FROM tb_event_log l WHERE l.identifier = "
                    "x.event_id::text) <> 1"),
              0)
        << "each event id in tb_event_log exactly once";
    EXPECT_EQ(count("SELECT count(*)" + events + " AND x.subject = 'events.order.created'"),
              count("SELECT count(*)" + from))
        << "one events.order.created per order";
    EXPECT_EQ(count("SELECT count(*)" + from +
                    " AND o.status = 'shipped' AND (SELECT count(DISTINCT l.event_type) FROM "
                    "tb_event_log l WHERE l.order_id = o.id AND l.event_type IN "
                    "('events.order.created', 'events.inventory.reserved', "
                    "'events.payment.charged', 'events.order.shipped')) <> 4"),
              0)
        << "every step of a shipped order is in the audit log";
  }
};

}  // namespace choreo::testing
