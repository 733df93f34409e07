#pragma once

#include <prometheus/counter.h>
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
};

}  // namespace choreo::consumer
