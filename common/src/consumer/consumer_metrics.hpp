#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

namespace choreo::consumer {

// The Prometheus series of one durable consumer.
struct ConsumerMetrics {
  ConsumerMetrics(prometheus::Registry& registry, const std::string& durable);

  prometheus::Counter& processed;   // effect applied and committed
  prometheus::Counter& duplicates;  // a repeat, acknowledged without effect
  prometheus::Counter& retried;     // failed attempt, redelivered later
  prometheus::Counter& dead_letters;
  prometheus::Counter& failed_batches;    // whole batch rolled back (database unreachable, ...)
  prometheus::Counter& isolated_batches;  // run again event by event: one of its events failed
  prometheus::Histogram& batch_seconds;
  prometheus::Histogram& batch_size;
  // From the stream's store time to the acknowledgement of the event's effect: the lag an event
  // met on its way through this consumer.
  prometheus::Histogram& event_age_seconds;
  // The durable's state as JetStream reports it, refreshed every few seconds by the consumer.
  prometheus::Gauge& pending;      // in the stream, not yet delivered to the durable
  prometheus::Gauge& ack_pending;  // delivered, not yet acknowledged
  prometheus::Gauge& redelivered;  // delivered more than once, not yet acknowledged
  prometheus::Gauge& waiting_pulls;
};

}  // namespace choreo::consumer
