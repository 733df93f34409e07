#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace choreo::ctl::inspect {

// One message as `choreoctl tail` sees it on the bus.
struct LiveEvent {
  std::int64_t received_at_ns = 0;
  std::string subject;
  std::string event_id;         // Choreo-Event-Id, else Nats-Msg-Id; "" when it has neither
  std::string trace_id;         // from its traceparent; "" without one
  std::string order_id;         // from the payload; "" when it names none
  nlohmann::ordered_json data;  // the payload; a string when it is not JSON
};

LiveEvent read_live_event(std::int64_t received_at_ns, std::string_view subject,
                          std::string_view data, const std::map<std::string, std::string>& headers);

// One line: time, subject, order, event id, trace id, and the payload's other short fields.
std::string live_event_line(const LiveEvent& event);
// One JSON object (no newline): what `tail --json` prints per line.
std::string live_event_json(const LiveEvent& event);

}  // namespace choreo::ctl::inspect
