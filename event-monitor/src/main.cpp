// event-monitor: records every event of the `events` stream in tb_event_log (durable
// event_monitoring on events.>), raises an alert for failures, and serves the operator's view of
// the choreography from what it records: the live dashboard at /, its stream (/api/live) and the
// operator API (/api/overview, /api/order, /api/dead-letters/replay).
#include "auth/token_verifier.hpp"
#include "bus/bus_settings.hpp"
#include "consumer/consumer_settings.hpp"
#include "dashboard_page.hpp"
#include "dlq/dead_letter_sources.hpp"
#include "dlq/replay.hpp"
#include "event_log_writer.hpp"
#include "events/subjects.hpp"
#include "live_feed.hpp"
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

        // The other services' tables (outbox backlogs, dead letters), through their own
        // <SERVICE>_DATABASE_URL where each has one, else through DATABASE_URL.
        const auto sources = dlq::dead_letter_sources(env);
        const auto stream = bus::events_stream(service.settings().nats).name;
        // The operators' tokens: verified by the same verifier as the order service's.
        std::shared_ptr<const auth::TokenVerifier> verifier;
        if (auto token_settings = event_monitor::load_operator_token_settings(env)) {
          verifier = std::make_shared<const auth::TokenVerifier>(std::move(*token_settings),
                                                                 &service.metrics());
          if (verifier->key_source_state())
            service.add_readiness_check(auth::identity_provider_check(*verifier));
        }
        const auto access = event_monitor::OperatorAccess(verifier);
        const auto& api = service.emplace<event_monitor::OperatorApi>(
            access, service.pool(), service.bus(), stream, sources, service.faults(),
            env.duration_or("INBOX_RETENTION", dlq::kDefaultInboxRetention));
        api.mount(service.router());
        auto& feed = service.emplace<event_monitor::LiveFeed>(event_monitor::LiveFeedSettings{},
                                                              access, service.pool(), service.bus(),
                                                              stream, sources, service.metrics());
        feed.mount(service.router());
        event_monitor::mount_dashboard(service.router());
      });
}
