#include "bus/headers_json.hpp"

#include <gtest/gtest.h>

namespace choreo::bus {
namespace {

TEST(HeadersJson, RoundTripsTheHeaders) {
  const std::map<std::string, std::string> headers = {
      {"Nats-Msg-Id", "e-1"},
      {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  EXPECT_EQ(headers_from_json(headers_to_json(headers)), headers);
  EXPECT_EQ(headers_to_json({}), "{}");
  EXPECT_TRUE(headers_from_json("{}").empty());
}

TEST(HeadersJson, LeavesOutWhatIsNotAStringHeader) {
  EXPECT_EQ(headers_from_json(R"({"a":"x","b":1,"c":null})"),
            (std::map<std::string, std::string>{{"a", "x"}}));
  EXPECT_TRUE(headers_from_json("[1,2]").empty());
  EXPECT_TRUE(headers_from_json("not json").empty());
}

TEST(HeadersJson, ReplacesBytesThatAreNotUtf8) {
  const auto json = headers_to_json({{"h", "bad \xff byte"}});
  EXPECT_EQ(headers_from_json(json).at("h").find("bad "), 0u);
}

}  // namespace
}  // namespace choreo::bus
