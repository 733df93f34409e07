#include "operator_api.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "db/connections_by_url.hpp"
#include "db/errors.hpp"
#include "dlq/replay.hpp"
#include "events/event.hpp"
#include "http/percent_decoding.hpp"
#include "logging/one_line.hpp"

namespace choreo::event_monitor {
namespace {

http::HttpResponse json_response(int status, const nlohmann::ordered_json& body) {
  return http::HttpResponse::json(status, body.dump()).with_header("Cache-Control", "no-store");
}

http::HttpResponse error(int status, const std::string& message) {
  return json_response(status, {{"error", message}});
}

// The value of `name` in a query string ("id=...&x=y"), percent-decoded.
std::optional<std::string> query_parameter(const std::string& query, const std::string& name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    const auto end = std::min(query.find('&', start), query.size());
    const auto pair = std::string_view(query).substr(start, end - start);
    if (pair.substr(0, name.size() + 1) == name + "=")
      return http::percent_decoded(pair.substr(name.size() + 1), http::PlusSign::kSpace);
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

OperatorApi::OperatorApi(OperatorAccess access, db::ConnectionPool& pool, bus::JetStreamClient& bus,
                         std::string stream, std::vector<dlq::DeadLetterSource> sources,
                         const runtime::FaultPoints& faults,
                         std::chrono::milliseconds inbox_retention)
    : access_(std::move(access)),
      pool_(pool),
      bus_(bus),
      stream_(std::move(stream)),
      sources_(std::move(sources)),
      faults_(faults),
      inbox_retention_(inbox_retention) {}

void OperatorApi::mount(http::Router& router) const {
  router.get(
      "/api/overview", [this](const http::HttpRequest& request) { return overview(request); },
      http::Dispatch::kWorkerThread);
  router.get(
      "/api/order", [this](const http::HttpRequest& request) { return order(request); },
      http::Dispatch::kWorkerThread);
  router.post(
      "/api/dead-letters/replay",
      [this](const http::HttpRequest& request) { return replay(request); },
      http::Dispatch::kWorkerThread);
}

http::HttpResponse OperatorApi::overview(const http::HttpRequest& request) const {
  if (auto refusal = access_.refusal(request))
    return std::move(*refusal);
  std::vector<bus::ConsumerState> consumers;
  try {
    consumers = bus_.consumer_states(stream_);
  } catch (const std::exception& failure) {
    return error(503, std::string("NATS is not answering: ") + failure.what());
  }
  try {
    auto lease = pool_.acquire();
    pqxx::read_transaction tx(*lease, "operator_overview");
    return json_response(200, views_.overview(tx, consumers));
  } catch (const std::exception& failure) {
    spdlog::warn("operator api: overview failed: {}", db::describe(failure));
    return error(503, "the event log is not answering; try again");
  }
}

http::HttpResponse OperatorApi::order(const http::HttpRequest& request) const {
  if (auto refusal = access_.refusal(request))
    return std::move(*refusal);
  const auto id = query_parameter(request.query, "id");
  if (!id || !events::is_uuid(*id))
    return error(400, "give the order's id: /api/order?id=<UUID>");
  try {
    auto lease = pool_.acquire();
    pqxx::read_transaction tx(*lease, "operator_order");
    auto timeline = views_.order(tx, *id);
    if (!timeline)
      return error(404, "no events of order " + *id + " in the event log");
    return json_response(200, *timeline);
  } catch (const std::exception& failure) {
    spdlog::warn("operator api: order {} failed: {}", *id, db::describe(failure));
    return error(503, "the event log is not answering; try again");
  }
}

}  // namespace choreo::event_monitor

namespace choreo::event_monitor {

http::HttpResponse OperatorApi::replay(const http::HttpRequest& request) const {
  if (auto refusal = access_.refusal(request))
    return std::move(*refusal);
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  const auto* source = body.is_object() && body.contains("service") && body["service"].is_string()
                           ? dlq::source_of(sources_, body["service"].get<std::string>())
                           : nullptr;
  if (source == nullptr || !body.contains("number") || !body["number"].is_number_integer())
    return error(400, R"(send {"service": "<service>", "number": <N>}, as the dead letter shows)");
  const auto number = body["number"].get<long long>();
  try {
    db::ConnectionsByUrl connections;
    dlq::ReplayRun run{
        sources_,
        connections,
        bus_,
        faults_,
        inbox_retention_,
        false,
        [](const std::string& problem) { spdlog::warn("operator api: replay: {}", problem); }};
    const auto result = dlq::replay_letter(run, *source, number);
    spdlog::info("operator api: replay of dead letter {}: {}", result.label,
                 result.kind == dlq::ReplayResult::Kind::replayed ? "replayed" : result.detail);
    const int status = result.kind == dlq::ReplayResult::Kind::replayed  ? 200
                       : result.kind == dlq::ReplayResult::Kind::refused ? 409
                       : !result.letter                                  ? 404
                                                                         : 503;
    return json_response(status, dlq::replay_result_json(result));
  } catch (const std::exception& failure) {
    spdlog::warn("operator api: replay of {}/{} failed: {}", source->table.service, number,
                 db::describe(failure));
    return error(503, source->table.service + "'s database is not answering: " +
                          logging::one_line(db::describe(failure)));
  }
}

}  // namespace choreo::event_monitor
