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
      batch_size(prometheus::BuildHistogram()
                     .Name("choreo_consumer_batch_size")
                     .Help("Messages per fetched batch")
                     .Register(registry)
                     .Add({{"consumer", durable}}, prometheus::Histogram::BucketBoundaries{
                                                       1, 2, 4, 8, 16, 32, 64, 128, 256})) {}

}  // namespace choreo::consumer
