// inventory-worker: holds stock for new orders (durable inventory_processors on
// events.order.created) and gives it back when their payment fails (durable
// compensation_handlers on events.payment.failed). Its events leave through its own outbox relay.
#include "compensation_handler.hpp"
#include "consumer/consumer_settings.hpp"
#include "events/subjects.hpp"
#include "outbox/outbox_writer.hpp"
#include "reservation_handler.hpp"
#include "runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace choreo;
  return runtime::service_main(
      argc, argv, "inventory-worker", "0.0.0.0:9101",
      [](runtime::Service& service, const config::EnvReader& env) {
        const std::string source = "inventory-worker";
        auto& pool = service.pool();
        pool.add_prepared_statements(outbox::writer_statements());
        pool.add_prepared_statements(inventory_worker::ReservationHandler::prepared_statements());
        pool.add_prepared_statements(inventory_worker::CompensationHandler::prepared_statements());

        service.add_consumer(
            consumer::load_consumer_runtime_settings(env, "inventory_processors",
                                                     std::string(events::subjects::kOrderCreated)),
            service.emplace<inventory_worker::ReservationHandler>(source));
        service.add_consumer(
            consumer::load_consumer_runtime_settings(env, "compensation_handlers",
                                                     std::string(events::subjects::kPaymentFailed)),
            service.emplace<inventory_worker::CompensationHandler>(source));
        outbox::OutboxRelaySettings relay;
        relay.source = source;
        service.add_outbox_relay(relay);
      });
}
