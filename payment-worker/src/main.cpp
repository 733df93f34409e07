// payment-worker: charges each order whose stock is held (durable payment_processors on
// events.inventory.reserved) through the built-in simulated provider. Its events leave through
// its own outbox relay.
#include "consumer/consumer_settings.hpp"
#include "events/subjects.hpp"
#include "outbox/outbox_writer.hpp"
#include "payment_handler.hpp"
#include "runtime/service.hpp"
#include "simulated_payment_provider.hpp"

int main(int argc, char** argv) {
  using namespace choreo;
  return runtime::service_main(
      argc, argv, "payment-worker", "0.0.0.0:9102",
      [](runtime::Service& service, const config::EnvReader& env) {
        const std::string source = "payment-worker";
        auto& provider = service.emplace<payment_worker::SimulatedPaymentProvider>(
            payment_worker::load_simulated_payment_settings(env));
        service.pool().add_prepared_statements(outbox::writer_statements());
        service.pool().add_prepared_statements(
            payment_worker::PaymentHandler::prepared_statements());
        service.add_consumer(
            consumer::load_consumer_runtime_settings(
                env, "payment_processors", std::string(events::subjects::kInventoryReserved)),
            service.emplace<payment_worker::PaymentHandler>(
                source, provider, !env.boolean_or("CHOREO_UNSAFE_DISABLE_IDEMPOTENCY", false)));
        outbox::OutboxRelaySettings relay;
        relay.source = source;
        service.add_outbox_relay(relay);
      });
}
