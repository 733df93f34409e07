#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace choreo::tracing {

// The W3C Trace Context header (https://www.w3.org/TR/trace-context/) that carries a trace from
// the GraphQL request through every event of the order it creates.
inline constexpr const char* kTraceparentHeader = "traceparent";

// One span's place in a trace, as a traceparent header carries it:
// "00-<trace_id: 32 hex>-<span_id: 16 hex>-<flags: 2 hex>".
struct TraceContext {
  std::string trace_id;  // 32 lower-case hex digits, not all zero
  std::string span_id;   // 16 lower-case hex digits, not all zero
  std::string flags = "01";

  // The header's value for this span.
  std::string traceparent() const;
  // A span of the same trace whose parent is this one: what a consumer continues with.
  TraceContext child() const;

  bool operator==(const TraceContext&) const = default;
};

// The context a traceparent header names, or nullopt when the header is malformed (an invalid
// header is ignored and a new trace started, as the specification asks). Upper-case hex is
// refused as the specification says; a version other than 00 is read for its first four fields.
std::optional<TraceContext> parse_traceparent(std::string_view header);

// A new trace: random trace and span ids, sampled.
TraceContext start_trace();

// The parsed header's child when it is valid, else a new trace.
TraceContext continue_or_start(std::string_view header);

}  // namespace choreo::tracing
