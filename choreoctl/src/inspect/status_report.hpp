#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bus/jetstream.hpp"
#include "inspect/service_endpoints.hpp"

namespace choreo::ctl::inspect {

// One service's unpublished outbox rows.
struct OutboxBacklog {
  std::string service;
  long long unpublished = 0;
  double oldest_age_seconds = 0;  // of the oldest unpublished row; 0 when there is none
};

// Unreplayed dead letters of one consumer for one reason.
struct DeadLetterCount {
  std::string service;
  std::string consumer;
  std::string reason;
  long long count = 0;
};

// `choreoctl status`: the whole system on one screen. Lag and dead letters are findings of the
// report; `unreachable` lists what could not be asked at all (NATS, a database), which is what
// makes the command fail.
struct StatusReport {
  std::int64_t collected_at_ns = 0;
  std::vector<Readiness> services;
  std::string stream_name;
  std::optional<bus::StreamState> stream;
  std::vector<bus::ConsumerState> consumers;
  std::vector<OutboxBacklog> outboxes;
  std::vector<DeadLetterCount> dead_letters;
  std::map<std::string, long long> orders_by_status;
  std::vector<std::string> unreachable;  // one sentence each
};

void print_status(const StatusReport& report, std::ostream& out);
nlohmann::ordered_json status_json(const StatusReport& report);

}  // namespace choreo::ctl::inspect
