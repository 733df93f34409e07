#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "dlq/dead_letter_record.hpp"

namespace choreo::ctl::inspect {

// A consumer that handled one event, from its service's inbox.
struct Handling {
  std::string service;
  std::string consumer;
  long long deliveries = 1;  // the delivery that succeeded: 1 unless earlier ones failed
  double at_ms = 0;          // when it committed, ms since the epoch
};

// One event of the order, as the event monitor recorded it.
struct TimelineEvent {
  long long stream_sequence = 0;
  std::string subject;
  std::string event_id;
  double at_ms = 0;  // when the stream stored it (when the monitor logged it, for older rows)
  std::string trace_id;
  std::optional<long long> monitor_deliveries;
  nlohmann::ordered_json data;  // the payload
  std::vector<Handling> handled_by;
  // Filled by finish_timeline:
  std::optional<double> since_previous_ms;
};

// What the order service knows of the order, its payment and its shipment.
struct OrderSummary {
  std::string id;
  std::string identifier;
  std::string status;
  std::string total;
  std::optional<std::string> failure_reason;
  double created_at_ms = 0;
  std::optional<std::string> trace_parent;
  nlohmann::ordered_json payment;   // null when none was recorded
  nlohmann::ordered_json shipment;  // null when none was recorded
};

struct OrderTimeline {
  OrderSummary order;
  std::vector<TimelineEvent> events;  // in stream order
  std::vector<dlq::DeadLetterRecord> dead_letters;
  // Filled by finish_timeline:
  std::string trace_id;               // the order's, from its traceparent or its events
  std::optional<double> duration_ms;  // first event to the last
};

// Orders the events by stream sequence, fills each one's time since the one before, the whole
// flow's duration and the trace id. Pure, for tests.
void finish_timeline(OrderTimeline& timeline);

void print_timeline(const OrderTimeline& timeline, std::ostream& out);
nlohmann::ordered_json timeline_json(const OrderTimeline& timeline);

}  // namespace choreo::ctl::inspect
