#pragma once

#include <vector>

#include "consumer/outcome.hpp"
#include "events/event.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::consumer {

// The logic of one durable consumer: a plain function of (event, transaction). It writes its
// effect and any outbox rows through `tx`, the batch transaction. Throwing counts as a failed
// attempt (retried with backoff, then dead-lettered); a transient database error retries the whole
// batch.
//
// The runtime first runs a batch's events together, without savepoints. If any of them fails
// (throws, or answers retry or dead_letter), that transaction is rolled back and the batch runs
// again with a savepoint around each event, so the failure undoes only its own event's work. A
// handler must therefore be safe to run twice for one event (it already must be: redelivery).
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual Outcome handle(const events::Event& event, pqxx::transaction_base& tx) = 0;

  // Several events at once, in delivery order, one outcome each: a handler that can write a whole
  // batch in one statement overrides this. Used only for the savepoint-free run.
  virtual std::vector<Outcome> handle_all(const std::vector<const events::Event*>& events,
                                          pqxx::transaction_base& tx) {
    std::vector<Outcome> outcomes;
    outcomes.reserve(events.size());
    for (const auto* event : events)
      outcomes.push_back(handle(*event, tx));
    return outcomes;
  }
};

}  // namespace choreo::consumer
