#include "outbox/outbox_writer.hpp"

#include <pqxx/pqxx>

#include "bus/headers_json.hpp"

namespace choreo::outbox {

std::vector<db::PreparedStatement> writer_statements() {
  return {{"outbox_append",
           "INSERT INTO tb_outbox (source, subject, payload, headers) "
           "VALUES ($1, $2, $3::jsonb, $4::jsonb) RETURNING event_id::text"}};
}

std::string headers_json(const std::optional<tracing::TraceContext>& trace) {
  if (!trace)
    return "{}";
  return bus::headers_to_json({{tracing::kTraceparentHeader, trace->traceparent()}});
}

std::string append(pqxx::transaction_base& tx, std::string_view source, std::string_view subject,
                   const nlohmann::json& payload,
                   const std::optional<tracing::TraceContext>& trace) {
  return tx
      .exec_prepared1("outbox_append", std::string(source), std::string(subject), payload.dump(),
                      headers_json(trace))[0]
      .as<std::string>();
}

}  // namespace choreo::outbox
