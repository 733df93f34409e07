#include "inspect/order_timeline.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/time_text.hpp"
#include "tracing/trace_context.hpp"

namespace choreo::ctl::inspect {
namespace {

std::string iso_from_ms(double ms) {
  return runtime::iso_time_from_ns(static_cast<std::int64_t>(std::llround(ms * 1e6)));
}

// "status pending → paid" for a status change, "" for any other event.
std::string status_change(const TimelineEvent& event) {
  if (!event.data.is_object() || !event.data.contains("status") ||
      !event.data["status"].is_string())
    return "";
  const auto previous = event.data.value("previous_status", std::string());
  return "status " + (previous.empty() ? std::string("?") : previous) + " -> " +
         event.data["status"].get<std::string>();
}

std::string handling_text(const Handling& handling) {
  return handling.consumer + " (" + std::to_string(handling.deliveries) +
         (handling.deliveries == 1 ? " delivery)" : " deliveries)");
}

}  // namespace

void finish_timeline(OrderTimeline& timeline) {
  auto& events = timeline.events;
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a.stream_sequence < b.stream_sequence;
  });
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].since_previous_ms =
        i == 0 ? std::nullopt : std::optional(std::max(0.0, events[i].at_ms - events[i - 1].at_ms));
    std::sort(events[i].handled_by.begin(), events[i].handled_by.end(),
              [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
  }
  timeline.duration_ms = std::nullopt;
  if (!events.empty())
    timeline.duration_ms = std::max(0.0, events.back().at_ms - events.front().at_ms);

  timeline.trace_id.clear();
  if (timeline.order.trace_parent) {
    if (const auto trace = tracing::parse_traceparent(*timeline.order.trace_parent))
      timeline.trace_id = trace->trace_id;
  }
  for (const auto& event : events) {
    if (timeline.trace_id.empty() && !event.trace_id.empty())
      timeline.trace_id = event.trace_id;
  }
}

void print_timeline(const OrderTimeline& timeline, std::ostream& out) {
  const auto& order = timeline.order;
  out << "order " << order.id << " (" << order.identifier << "), " << order.status << ", total "
      << order.total << "\n";
  out << "created " << iso_from_ms(order.created_at_ms);
  if (!timeline.trace_id.empty())
    out << ", trace " << timeline.trace_id;
  out << "\n";
  if (order.failure_reason)
    out << "failed: " << *order.failure_reason << "\n";
  out << "\n";
  for (const auto& event : timeline.events) {
    out << "  " << iso_from_ms(event.at_ms) << "  "
        << (event.since_previous_ms ? "+" + runtime::duration_text(*event.since_previous_ms / 1000)
                                    : std::string("start"))
        << "  #" << event.stream_sequence << " " << event.subject;
    if (const auto change = status_change(event); !change.empty())
      out << "  " << change;
    out << "\n";
    for (const auto& handling : event.handled_by) {
      out << "      handled by " << handling_text(handling) << " after "
          << runtime::duration_text((handling.at_ms - event.at_ms) / 1000) << "\n";
    }
  }
  if (timeline.events.empty())
    out << "  (no events recorded by the event monitor yet)\n";
  out << "\n";
  if (order.payment.is_object()) {
    out << "payment: " << order.payment.value("status", "") << " "
        << order.payment.value("amount", "") << " (" << order.payment.value("payment_id", "")
        << ")\n";
  }
  if (order.shipment.is_object()) {
    out << "shipment: " << order.shipment.value("carrier", "") << " "
        << order.shipment.value("tracking_number", "") << "\n";
  }
  for (const auto& letter : timeline.dead_letters) {
    out << "dead letter " << letter.label() << ": " << letter.consumer << " gave up on "
        << letter.subject << " after " << letter.attempts << " attempt(s): " << letter.reason
        << (letter.replayed_at ? " (replayed)" : "") << "\n";
  }
  if (timeline.duration_ms)
    out << "flow: " << runtime::duration_text(*timeline.duration_ms / 1000)
        << " from the first event to the "
        << "last (" << timeline.events.size() << " events)\n";
}

nlohmann::ordered_json timeline_json(const OrderTimeline& timeline) {
  const auto& order = timeline.order;
  nlohmann::ordered_json json;
  json["order"] = {
      {"id", order.id},
      {"identifier", order.identifier},
      {"status", order.status},
      {"total", order.total},
      {"failure_reason", order.failure_reason ? nlohmann::ordered_json(*order.failure_reason)
                                              : nlohmann::ordered_json(nullptr)},
      {"created_at", iso_from_ms(order.created_at_ms)}};
  json["trace_id"] = timeline.trace_id.empty() ? nlohmann::ordered_json(nullptr)
                                               : nlohmann::ordered_json(timeline.trace_id);
  auto events = nlohmann::ordered_json::array();
  for (const auto& event : timeline.events) {
    nlohmann::ordered_json item;
    item["stream_seq"] = event.stream_sequence;
    item["subject"] = event.subject;
    item["event_id"] = event.event_id;
    item["at"] = iso_from_ms(event.at_ms);
    item["since_previous_ms"] = event.since_previous_ms
                                    ? nlohmann::ordered_json(*event.since_previous_ms)
                                    : nlohmann::ordered_json(nullptr);
    item["trace_id"] = event.trace_id.empty() ? nlohmann::ordered_json(nullptr)
                                              : nlohmann::ordered_json(event.trace_id);
    auto handled = nlohmann::ordered_json::array();
    for (const auto& handling : event.handled_by) {
      handled.push_back({{"service", handling.service},
                         {"consumer", handling.consumer},
                         {"deliveries", handling.deliveries},
                         {"at", iso_from_ms(handling.at_ms)},
                         {"after_ms", std::max(0.0, handling.at_ms - event.at_ms)}});
    }
    item["handled_by"] = std::move(handled);
    item["monitor_deliveries"] = event.monitor_deliveries
                                     ? nlohmann::ordered_json(*event.monitor_deliveries)
                                     : nlohmann::ordered_json(nullptr);
    if (const auto change = status_change(event); !change.empty()) {
      item["status_change"] = {{"from", event.data.value("previous_status", "")},
                               {"to", event.data["status"]}};
    }
    item["data"] = event.data;
    events.push_back(std::move(item));
  }
  json["events"] = std::move(events);
  json["payment"] = order.payment;
  json["shipment"] = order.shipment;
  auto letters = nlohmann::ordered_json::array();
  for (const auto& letter : timeline.dead_letters) {
    letters.push_back(
        {{"id", letter.label()},
         {"consumer", letter.consumer},
         {"subject", letter.subject},
         {"reason", letter.reason},
         {"attempts", letter.attempts},
         {"created_at", letter.created_at},
         {"replayed_at", letter.replayed_at ? nlohmann::ordered_json(*letter.replayed_at)
                                            : nlohmann::ordered_json(nullptr)}});
  }
  json["dead_letters"] = std::move(letters);
  json["duration_ms"] = timeline.duration_ms ? nlohmann::ordered_json(*timeline.duration_ms)
                                             : nlohmann::ordered_json(nullptr);
  return json;
}

}  // namespace choreo::ctl::inspect
