// order-service: the front door of the choreography. It serves the GraphQL API, runs its observer
// (table changes -> outbox -> JetStream) and consumes the events that move an order's status.
#include <pqxx/pqxx>

#include "api/graphql_endpoint.hpp"
#include "api/order_schema.hpp"
#include "auth/token_verifier.hpp"
#include "consumer/consumer_settings.hpp"
#include "events/subjects.hpp"
#include "observers/observer_config.hpp"
#include "observers/observer_installer.hpp"
#include "runtime/service.hpp"
#include "status/status_update_handler.hpp"

int main() {
  using namespace choreo;
  return runtime::service_main(
      "order-service", "0.0.0.0:8080", [](runtime::Service& service, const config::EnvReader& env) {
        // Read now so a bad secret stops the service at start, not at its first request.
        const auto& verifier =
            service.emplace<order_service::TokenVerifier>(order_service::load_token_settings(env));
        const auto& schema = service.emplace<graphql::Schema>(order_service::build_order_schema());
        service.pool().add_prepared_statements(
            order_service::GraphQLEndpoint::prepared_statements());
        service
            .emplace<order_service::GraphQLEndpoint>(
                order_service::load_graphql_endpoint_settings(env), schema, verifier,
                service.pool(), service.faults())
            .mount(service.router());

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
          const char* status;
        } status_consumers[] = {
            {"order_status_paid", events::subjects::kPaymentCharged, "paid"},
            {"order_status_shipped", events::subjects::kOrderShipped, "shipped"},
            {"order_status_failed", events::subjects::kOrderFailed, "failed"},
        };
        for (const auto& entry : status_consumers) {
          service.add_consumer(consumer::load_consumer_runtime_settings(env, entry.durable,
                                                                        std::string(entry.subject)),
                               service.emplace<order_service::StatusUpdateHandler>(entry.status));
        }
      });
}
