// event-monitor: records every event of the `events` stream in tb_event_log (durable
// event_monitoring on events.>), raises an alert for failures, and answers the operator API
// (/api/overview, /api/order) from what it records.
#include "bus/bus_settings.hpp"
#include "consumer/consumer_settings.hpp"
#include "event_log_writer.hpp"
#include "events/subjects.hpp"
#include "operator_api.hpp"
#include "runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace choreo;
  return runtime::service_main(
      argc, argv, "event-monitor", "0.0.0.0:9104",
      [](runtime::Service& service, const config::EnvReader& env) {
        service.pool().add_prepared_statements(
            event_monitor::EventLogWriter::prepared_statements());
        service.pool().add_prepared_statements(event_monitor::OperatorViews::prepared_statements());
        auto settings = consumer::load_consumer_runtime_settings(
            env, "event_monitoring", std::string(events::subjects::kAll));
        settings.idempotency = consumer::Idempotency::by_handler;
        service.add_consumer(std::move(settings), service.emplace<event_monitor::EventLogWriter>());

        const auto& api = service.emplace<event_monitor::OperatorApi>(
            event_monitor::OperatorAccess(event_monitor::load_operator_token_settings(env)),
            service.pool(), service.bus(), bus::events_stream(service.settings().nats).name);
        api.mount(service.router());
      });
}
