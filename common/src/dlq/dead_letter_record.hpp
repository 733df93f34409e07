#pragma once

#include <map>
#include <optional>
#include <string>

namespace choreo::dlq {

// One row of a service's tb_dead_letter as the operator sees it.
struct DeadLetterRecord {
  std::string service;  // whose table holds it: order-service, inventory-worker, ...
  long long id = 0;     // pk_dead_letter, numbered per service
  std::string consumer;
  std::string subject;
  long long stream_sequence = 0;
  std::optional<std::string> event_id;
  std::map<std::string, std::string> headers;
  std::string payload;  // raw bytes as the consumer received them
  std::string reason;
  long long attempts = 0;
  std::string created_at;  // ISO-8601, UTC
  std::optional<std::string> replayed_at;
  long long replays = 0;  // committed replays so far
  // Recorded longer ago than the consumers keep their inbox rows (INBOX_RETENTION): consumers
  // that processed the original may no longer recognise a replay of it.
  bool older_than_inbox_retention = false;

  // "payment-worker/12": what operators type to name it (ids are numbered per service).
  std::string label() const { return service + "/" + std::to_string(id); }
};

}  // namespace choreo::dlq
