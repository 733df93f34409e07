// order-service: the front door of the choreography. It serves the GraphQL API (over HTTP, and
// over WebSocket for subscriptions), runs its observer (table changes -> outbox -> JetStream) and
// consumes the events that move an order's status.
#include <cstdlib>
#include <optional>

#include <pqxx/pqxx>

#include "api/graphql_endpoint.hpp"
#include "api/order_schema.hpp"
#include "auth/token_verifier.hpp"
#include "consumer/consumer_settings.hpp"
#include "events/subjects.hpp"
#include "observers/observer_config.hpp"
#include "observers/observer_installer.hpp"
#include "runtime/file_descriptor_limit.hpp"
#include "runtime/service.hpp"
#include "status/status_update_handler.hpp"
#include "ws/graphql_ws_endpoint.hpp"

namespace {

// The order service's own defaults for two shared settings (an explicit value still wins).
// Every API request holds a worker thread and a pooled connection for its whole transaction, and
// a createOrder's COMMIT waits ~8 ms for the WAL flush (fsync and synchronous_commit stay on):
// with the common default of 4 of each, createOrders queue behind each other's flushes instead
// of sharing them (PostgreSQL flushes the commits that arrive together once), and reads queue
// behind them. The pool also serves the status consumers, the outbox relay and the subscription
// feed, hence a few connections more than workers. Called before any thread exists.
void default_env(const char* name, const char* value) {
  setenv(name, value, /*overwrite=*/0);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace choreo;
  default_env("HTTP_WORKER_THREADS", "16");
  default_env("DB_POOL_SIZE", "20");
  return runtime::service_main(
      argc, argv, "order-service", "0.0.0.0:8080",
      [](runtime::Service& service, const config::EnvReader& env) {
        // Every WebSocket holds a descriptor for as long as its client stays: make room for
        // HTTP_MAX_CONNECTIONS of them before the server starts accepting.
        runtime::prepare_file_descriptors(service.settings().http.max_connections);
        // The service destroys what it keeps in the order it was given: the WebSocket side goes
        // first, so its workers never outlive the schema and the endpoint they use.
        auto& websocket = service.emplace<std::unique_ptr<order_service::ws::GraphQLWsEndpoint>>();
        // Read now so a bad secret stops the service at start, not at its first request.
        const auto& verifier = service.emplace<auth::TokenVerifier>(auth::load_token_settings(env),
                                                                    &service.metrics());
        if (verifier.key_source_state())
          service.add_readiness_check(auth::identity_provider_check(verifier));
        const auto& schema = service.emplace<graphql::Schema>(order_service::build_order_schema());
        service.pool().add_prepared_statements(
            order_service::GraphQLEndpoint::prepared_statements());
        const auto endpoint_settings = order_service::load_graphql_endpoint_settings(env);
        const auto& read_models = service.emplace<order_service::ReadModels>(
            order_service::load_read_model_settings(env), service.settings().database);
        auto& endpoint = service.emplace<order_service::GraphQLEndpoint>(
            endpoint_settings, schema, verifier, service.pool(), read_models, service.faults());
        endpoint.on_mutation_committed([&service] { service.wake_outbox_relays(); });
        endpoint.mount(service.router());

        service.pool().add_prepared_statements(
            order_service::ws::GraphQLWsEndpoint::prepared_statements());
        websocket = std::make_unique<order_service::ws::GraphQLWsEndpoint>(
            order_service::ws::load_graphql_ws_settings(env), schema, endpoint,
            endpoint_settings.limits, verifier, service.pool());
        websocket->mount(service.router());
        service.add_startup_step("subscription feed",
                                 [&service, &websocket] { websocket->listen(service.bus()); });

        const auto observers = order_service::load_observer_config(env);
        service.add_startup_step("observer triggers", [&service, observers] {
          auto connection = service.pool().open_dedicated();
          order_service::install_observers(*connection, observers);
        });
        outbox::OutboxRelaySettings relay;
        relay.source = observers.source;
        relay.batch_size = observers.batch_size;
        relay.poll_interval = observers.flush_interval;
        service.add_outbox_relay(relay);

        service.pool().add_prepared_statements(
            order_service::StatusUpdateHandler::prepared_statements());
        const struct {
          const char* durable;
          std::string_view subject;
          std::optional<std::string> status;
        } status_consumers[] = {
            {"order_status_paid", events::subjects::kPaymentCharged, "paid"},
            {"order_status_shipped", events::subjects::kOrderShipped, "shipped"},
            {"order_status_failed", events::subjects::kOrderFailed, "failed"},
            // No status follows from a declined payment (events.order.failed moves the order),
            // but Order.payment shows it.
            {"order_payment_failed", events::subjects::kPaymentFailed, std::nullopt},
        };
        for (const auto& entry : status_consumers) {
          auto settings = consumer::load_consumer_runtime_settings(env, entry.durable,
                                                                   std::string(entry.subject));
          // fn_update_order_status only ever raises an order's status and a fact keeps its
          // first version: a repeated event finds the order at or past its target and changes
          // nothing, so no inbox row is needed.
          settings.idempotency = consumer::Idempotency::by_handler;
          service.add_consumer(std::move(settings),
                               service.emplace<order_service::StatusUpdateHandler>(entry.status));
        }
      });
}
