#include "inspect/live_event.hpp"

#include "events/event.hpp"
#include "runtime/time_text.hpp"
#include "tracing/trace_context.hpp"

namespace choreo::ctl::inspect {
namespace {

std::optional<std::string> header(const std::map<std::string, std::string>& headers,
                                  const char* name) {
  const auto found = headers.find(name);
  if (found == headers.end())
    return std::nullopt;
  return found->second;
}

// What else a line shows of the payload: the scalar fields that say what happened.
constexpr const char* kShownFields[] = {"identifier", "status",  "previous_status",
                                        "reason",     "sku",     "amount",
                                        "total",      "carrier", "tracking_number"};

}  // namespace

LiveEvent read_live_event(std::int64_t received_at_ns, std::string_view subject,
                          std::string_view data,
                          const std::map<std::string, std::string>& headers) {
  LiveEvent event;
  event.received_at_ns = received_at_ns;
  event.subject = std::string(subject);
  event.event_id = events::carried_event_id(header(headers, events::kEventIdHeader),
                                            header(headers, events::kMsgIdHeader))
                       .value_or("");
  if (const auto traceparent = header(headers, tracing::kTraceparentHeader)) {
    if (const auto trace = tracing::parse_traceparent(*traceparent))
      event.trace_id = trace->trace_id;
  }
  event.data = nlohmann::ordered_json::parse(data, nullptr, false);
  if (event.data.is_discarded())
    event.data = std::string(data);
  if (event.data.is_object() && event.data.contains("order_id") &&
      event.data["order_id"].is_string())
    event.order_id = event.data["order_id"].get<std::string>();
  return event;
}

std::string live_event_line(const LiveEvent& event) {
  auto line = runtime::iso_time_from_ns(event.received_at_ns) + "  " + event.subject;
  if (!event.order_id.empty())
    line += "  order=" + event.order_id;
  if (event.data.is_object()) {
    for (const char* field : kShownFields) {
      const auto found = event.data.find(field);
      if (found != event.data.end() && (found->is_string() || found->is_number()))
        line += std::string("  ") + field + "=" +
                (found->is_string() ? found->get<std::string>() : found->dump());
    }
  }
  if (!event.event_id.empty())
    line += "  event=" + event.event_id;
  if (!event.trace_id.empty())
    line += "  trace=" + event.trace_id;
  return line;
}

std::string live_event_json(const LiveEvent& event) {
  nlohmann::ordered_json json;
  json["received_at"] = runtime::iso_time_from_ns(event.received_at_ns);
  json["subject"] = event.subject;
  json["order_id"] = event.order_id.empty() ? nlohmann::ordered_json(nullptr)
                                            : nlohmann::ordered_json(event.order_id);
  json["event_id"] = event.event_id.empty() ? nlohmann::ordered_json(nullptr)
                                            : nlohmann::ordered_json(event.event_id);
  json["trace_id"] = event.trace_id.empty() ? nlohmann::ordered_json(nullptr)
                                            : nlohmann::ordered_json(event.trace_id);
  json["data"] = event.data;
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace choreo::ctl::inspect
