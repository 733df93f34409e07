#include "tracing/trace_context.hpp"

#include <gtest/gtest.h>

namespace choreo::tracing {
namespace {

constexpr const char* kExample = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Traceparent, ParsesTheSpecificationsExample) {
  const auto context = parse_traceparent(kExample);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->span_id, "00f067aa0ba902b7");
  EXPECT_EQ(context->flags, "01");
  EXPECT_EQ(context->traceparent(), kExample);
}

TEST(Traceparent, RefusesWhatTheSpecificationCallsInvalid) {
  for (const char* header : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",       // no flags
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",    // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",    // zero span id
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // forbidden version
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // 00 has no extra fields
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",    // wrong separators
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",    // not hex
       }) {
    EXPECT_FALSE(parse_traceparent(header).has_value()) << header;
  }
}

TEST(Traceparent, ReadsALaterVersionsKnownFields) {
  const auto context =
      parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future");
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(Traceparent, AChildKeepsTheTraceWithANewSpan) {
  const auto parent = *parse_traceparent(kExample);
  const auto child = parent.child();
  EXPECT_EQ(child.trace_id, parent.trace_id);
  EXPECT_NE(child.span_id, parent.span_id);
  EXPECT_EQ(child.flags, parent.flags);
  EXPECT_TRUE(parse_traceparent(child.traceparent()).has_value());
}

TEST(Traceparent, ContinuesAValidHeaderAndStartsAfreshOtherwise) {
  EXPECT_EQ(continue_or_start(kExample).trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  const auto fresh = continue_or_start("garbage");
  EXPECT_NE(fresh.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_TRUE(parse_traceparent(fresh.traceparent()).has_value());
  EXPECT_NE(start_trace().trace_id, start_trace().trace_id);
}

}  // namespace
}  // namespace choreo::tracing
