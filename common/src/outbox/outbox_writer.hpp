#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection_pool.hpp"
#include "events/payloads.hpp"

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
std::string append(pqxx::transaction_base& tx, std::string_view source, std::string_view subject,
                   const nlohmann::json& payload);

// The same for one of the defined payloads (events/payloads.hpp): its own subject, encoded.
template <typename Payload>
std::string append(pqxx::transaction_base& tx, std::string_view source, const Payload& payload) {
  return append(tx, source, Payload::subject, events::encode(payload));
}

}  // namespace choreo::outbox
