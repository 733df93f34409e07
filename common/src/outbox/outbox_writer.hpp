#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection_pool.hpp"
#include "events/payloads.hpp"
#include "tracing/trace_context.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::outbox {

// Writing side of the transactional outbox: a handler appends the events that follow from its
// effect through the same transaction as the effect, so they are published (by the relay of
// `source`) exactly when the effect commits, and never for work that rolled back.

// Statements every pooled connection of a service that appends to the outbox prepares.
std::vector<db::PreparedStatement> writer_statements();

// Appends one event for `source`'s relay and returns its event id (the future Nats-Msg-Id).
// `trace`, when given, is published as the event's traceparent header: pass the handled event's
// Event::trace, so the order's trace continues into what follows from it.
std::string append(pqxx::transaction_base& tx, std::string_view source, std::string_view subject,
                   const nlohmann::json& payload,
                   const std::optional<tracing::TraceContext>& trace = std::nullopt);

// The same for one of the defined payloads (events/payloads.hpp): its own subject, encoded.
template <typename Payload>
std::string append(pqxx::transaction_base& tx, std::string_view source, const Payload& payload,
                   const std::optional<tracing::TraceContext>& trace = std::nullopt) {
  return append(tx, source, Payload::subject, events::encode(payload), trace);
}

// The headers column for a row carrying `trace` ("{}" without one): what the relay publishes
// beside Nats-Msg-Id.
std::string headers_json(const std::optional<tracing::TraceContext>& trace);

}  // namespace choreo::outbox
