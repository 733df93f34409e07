#include "consumer/consumer_metrics.hpp"

namespace choreo::consumer {
namespace {

prometheus::Counter& event_counter(prometheus::Registry& registry, const std::string& durable,
                                   const std::string& outcome) {
  return prometheus::BuildCounter()
      .Name("choreo_consumer_events_total")
      .Help("Events handled by a durable consumer, by outcome")
      .Register(registry)
      .Add({{"consumer", durable}, {"outcome", outcome}});
}

prometheus::Gauge& state_gauge(prometheus::Registry& registry, const std::string& durable,
                               const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add(
      {{"consumer", durable}});
}

}  // namespace

ConsumerMetrics::ConsumerMetrics(prometheus::Registry& registry, const std::string& durable)
    : processed(event_counter(registry, durable, "processed")),
      duplicates(event_counter(registry, durable, "duplicate")),
      retried(event_counter(registry, durable, "retried")),
      dead_letters(prometheus::BuildCounter()
                       .Name("choreo_dead_letters_total")
                       .Help("Messages recorded in tb_dead_letter and terminated")
                       .Register(registry)
                       .Add({{"consumer", durable}})),
      failed_batches(prometheus::BuildCounter()
                         .Name("choreo_consumer_failed_batches_total")
                         .Help("Batches rolled back as a whole and redelivered")
                         .Register(registry)
                         .Add({{"consumer", durable}})),
      isolated_batches(prometheus::BuildCounter()
                           .Name("choreo_consumer_isolated_batches_total")
                           .Help("Batches run again with a savepoint per event because one of "
                                 "their events failed")
                           .Register(registry)
                           .Add({{"consumer", durable}})),
      batch_seconds(prometheus::BuildHistogram()
                        .Name("choreo_consumer_batch_seconds")
                        .Help("Time to process and commit one fetched batch")
                        .Register(registry)
                        .Add({{"consumer", durable}},
                             prometheus::Histogram::BucketBoundaries{
                                 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5})),
      batch_size(
          prometheus::BuildHistogram()
              .Name("choreo_consumer_batch_size")
              .Help("Messages per fetched batch")
              .Register(registry)
              .Add({{"consumer", durable}},
                   prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256})),
      event_age_seconds(
          prometheus::BuildHistogram()
              .Name("choreo_consumer_event_age_seconds")
              .Help("From the stream storing an event to this consumer acknowledging its effect")
              .Register(registry)
              .Add({{"consumer", durable}},
                   prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                           1, 2.5, 5, 10, 30, 60, 300})),
      pending(state_gauge(registry, durable, "choreo_consumer_pending_messages",
                          "Messages in the stream not yet delivered to the durable")),
      ack_pending(state_gauge(registry, durable, "choreo_consumer_ack_pending_messages",
                              "Messages delivered to the durable and not yet acknowledged")),
      redelivered(state_gauge(registry, durable, "choreo_consumer_redelivered_messages",
                              "Messages delivered more than once and not yet acknowledged")),
      waiting_pulls(state_gauge(registry, durable, "choreo_consumer_waiting_pulls",
                                "Pull requests of the durable open at the server")) {}

}  // namespace choreo::consumer
