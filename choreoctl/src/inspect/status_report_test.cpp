#include "inspect/status_report.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace choreo::ctl::inspect {
namespace {

StatusReport report_with_a_backlog() {
  StatusReport report;
  report.collected_at_ns = 1'764'763'200'000'000'000;
  report.services.push_back({"order-service", "http://127.0.0.1:8080", 200, ""});
  report.services.push_back({"payment-worker", "http://127.0.0.1:9102", 0, "no answer"});
  report.stream_name = "events";
  report.stream = bus::StreamState{};
  report.stream->messages = 120;
  report.stream->bytes = 64000;
  report.stream->first_sequence = 1;
  report.stream->last_sequence = 120;
  bus::ConsumerState payment;
  payment.name = "payment_processors";
  payment.num_pending = 37;
  report.consumers.push_back(payment);
  report.outboxes.push_back({"order-service", 4, 12.5});
  report.dead_letters.push_back({"shipping-worker", "shipping_handlers", "gave up", 2});
  report.orders_by_status = {{"paid", 3}, {"shipped", 40}};
  return report;
}

TEST(StatusReport, TextHasEverySection) {
  std::ostringstream out;
  print_status(report_with_a_backlog(), out);
  const auto text = out.str();
  for (const char* expected :
       {"payment-worker    unreachable (no answer)", "120 messages, 64000 bytes, sequence 1 to 120",
        "payment_processors", "order-service     4, oldest 12.5s",
        "2  shipping-worker / shipping_handlers: gave up", "shipped   40"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " in\n" << text;
  }
  EXPECT_EQ(text.find("Not collected"), std::string::npos);
}

TEST(StatusReport, JsonKeepsWhatCouldNotBeCollected) {
  auto report = report_with_a_backlog();
  report.stream.reset();
  report.unreachable.push_back("NATS (NATS_URL): no connection");
  const auto json = status_json(report);
  EXPECT_TRUE(json["stream"].is_null());
  EXPECT_TRUE(json["consumers"].is_null());
  EXPECT_EQ(json["unreachable"][0], "NATS (NATS_URL): no connection");
  EXPECT_EQ(json["services"][1]["state"], "unreachable");
  EXPECT_EQ(json["outbox"][0]["unpublished"], 4);
  EXPECT_EQ(json["orders_by_status"]["shipped"], 40);
}

}  // namespace
}  // namespace choreo::ctl::inspect
