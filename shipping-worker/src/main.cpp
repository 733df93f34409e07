// shipping-worker: books a label for each paid order (durable shipping_handlers on
// events.payment.charged) with the built-in simulated carrier. Its events leave through its own
// outbox relay.
#include "consumer/consumer_settings.hpp"
#include "events/subjects.hpp"
#include "outbox/outbox_writer.hpp"
#include "runtime/service.hpp"
#include "shipping_handler.hpp"
#include "simulated_carrier.hpp"

int main(int argc, char** argv) {
  using namespace choreo;
  return runtime::service_main(
      argc, argv, "shipping-worker", "0.0.0.0:9103",
      [](runtime::Service& service, const config::EnvReader& env) {
        const std::string source = "shipping-worker";
        auto& carrier = service.emplace<shipping_worker::SimulatedCarrier>();
        service.pool().add_prepared_statements(outbox::writer_statements());
        service.pool().add_prepared_statements(
            shipping_worker::ShippingHandler::prepared_statements());
        service.add_consumer(
            consumer::load_consumer_runtime_settings(
                env, "shipping_handlers", std::string(events::subjects::kPaymentCharged)),
            service.emplace<shipping_worker::ShippingHandler>(source, carrier));
        outbox::OutboxRelaySettings relay;
        relay.source = source;
        service.add_outbox_relay(relay);
      });
}
