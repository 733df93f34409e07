#include "dlq/dead_letter_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace choreo::ctl {
namespace {

dlq::DeadLetterRecord letter(long long id, std::string reason) {
  dlq::DeadLetterRecord record;
  record.service = "payment-worker";
  record.id = id;
  record.consumer = "payment_processors";
  record.subject = "events.inventory.reserved";
  record.stream_sequence = 7;
  record.event_id = "e-" + std::to_string(id);
  record.reason = std::move(reason);
  record.attempts = 5;
  record.created_at = "2026-11-24T06:00:00Z";
  record.payload = "{\"order_id\":\"o\"}";
  return record;
}

TEST(DeadLetterTable, OneAlignedLinePerLetter) {
  std::ostringstream out;
  auto second = letter(10, "line one\nline two " + std::string(100, 'x'));
  second.replayed_at = "2026-11-24T07:00:00Z";
  print_dead_letter_table({letter(9, "gave up"), second}, out);
  std::istringstream lines(out.str());
  std::string header, first_row, second_row, extra;
  ASSERT_TRUE(std::getline(lines, header));
  ASSERT_TRUE(std::getline(lines, first_row));
  ASSERT_TRUE(std::getline(lines, second_row));
  EXPECT_FALSE(std::getline(lines, extra)) << "a multi-line reason stays on its row";
  EXPECT_EQ(header.find("ID"), 0U);
  EXPECT_EQ(first_row.find("payment-worker/9"), 0U) << "ids are numbered per service";
  EXPECT_EQ(header.find("CONSUMER"), first_row.find("payment_processors"));
  EXPECT_EQ(header.find("REPLAYED AT"), second_row.find("2026-11-24T07:00:00Z"));
  EXPECT_NE(second_row.find("line one line two"), std::string::npos);
  EXPECT_NE(second_row.find("..."), std::string::npos);
  EXPECT_EQ(first_row.substr(first_row.size() - 2), " -") << "not replayed shows as -";
}

TEST(DeadLetterTable, SaysSoWhenEmpty) {
  std::ostringstream out;
  print_dead_letter_table({}, out);
  EXPECT_EQ(out.str(), "no dead letters\n");
}

TEST(DeadLetterJson, EveryFieldEvenForBinaryPayloads) {
  auto record = letter(3, "undecodable");
  record.payload = std::string("\xff\xfe{", 3);
  record.event_id.reset();
  std::ostringstream out;
  print_dead_letters_json({record}, out);
  const auto parsed = nlohmann::json::parse(out.str());
  ASSERT_TRUE(parsed.is_array());
  ASSERT_EQ(parsed.size(), 1U);
  EXPECT_EQ(parsed[0]["id"], "payment-worker/3");
  EXPECT_EQ(parsed[0]["service"], "payment-worker");
  EXPECT_EQ(parsed[0]["number"], 3);
  EXPECT_TRUE(parsed[0]["event_id"].is_null());
  EXPECT_TRUE(parsed[0]["replayed_at"].is_null());
  EXPECT_EQ(parsed[0]["attempts"], 5);
  EXPECT_TRUE(parsed[0]["payload"].is_string());
}

}  // namespace
}  // namespace choreo::ctl
