#include "tracing/trace_context.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace choreo::tracing {
namespace {

constexpr std::size_t kTraceIdLength = 32;
constexpr std::size_t kSpanIdLength = 16;
// "00-" + trace id + "-" + span id + "-" + flags
constexpr std::size_t kVersion00Length = 3 + kTraceIdLength + 1 + kSpanIdLength + 1 + 2;

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool all_zero(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

std::string random_hex(std::size_t digits) {
  std::array<unsigned char, kTraceIdLength / 2> bytes{};
  const auto count = digits / 2;
  std::string text;
  do {
    if (RAND_bytes(bytes.data(), static_cast<int>(count)) != 1)
      throw std::runtime_error("no randomness available for a trace id");
    static constexpr char kHex[] = "0123456789abcdef";
    text.clear();
    for (std::size_t i = 0; i < count; ++i) {
      text.push_back(kHex[bytes[i] >> 4]);
      text.push_back(kHex[bytes[i] & 0x0F]);
    }
  } while (all_zero(text));  // all zeros is the specification's "invalid"
  return text;
}

}  // namespace

std::string TraceContext::traceparent() const {
  return "00-" + trace_id + "-" + span_id + "-" + flags;
}

TraceContext TraceContext::child() const {
  return TraceContext{trace_id, random_hex(kSpanIdLength), flags};
}

std::optional<TraceContext> parse_traceparent(std::string_view header) {
  // Surrounding spaces are tolerated (a header value as some clients send it).
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t'))
    header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t'))
    header.remove_suffix(1);
  if (header.size() < kVersion00Length)
    return std::nullopt;
  const auto version = header.substr(0, 2);
  if (!is_lower_hex(version) || version == "ff" || header[2] != '-')
    return std::nullopt;
  // Version 00 is exactly this long; a later version may append fields after another dash.
  if (version == "00" ? header.size() != kVersion00Length
                      : header.size() > kVersion00Length && header[kVersion00Length] != '-')
    return std::nullopt;
  const auto trace_id = header.substr(3, kTraceIdLength);
  const auto span_id = header.substr(3 + kTraceIdLength + 1, kSpanIdLength);
  const auto flags = header.substr(3 + kTraceIdLength + 1 + kSpanIdLength + 1, 2);
  if (header[3 + kTraceIdLength] != '-' || header[3 + kTraceIdLength + 1 + kSpanIdLength] != '-')
    return std::nullopt;
  if (!is_lower_hex(trace_id) || !is_lower_hex(span_id) || !is_lower_hex(flags) ||
      all_zero(trace_id) || all_zero(span_id))
    return std::nullopt;
  return TraceContext{std::string(trace_id), std::string(span_id), std::string(flags)};
}

TraceContext start_trace() {
  return TraceContext{random_hex(kTraceIdLength), random_hex(kSpanIdLength), "01"};
}

TraceContext continue_or_start(std::string_view header) {
  if (auto parent = parse_traceparent(header))
    return parent->child();
  return start_trace();
}

}  // namespace choreo::tracing
