#pragma once

#include "consumer/outcome.hpp"
#include "events/event.hpp"

namespace pqxx {
class transaction_base;
}

namespace choreo::consumer {

// The logic of one durable consumer: a plain function of (event, transaction). It writes its
// effect and any outbox rows through `tx`, the batch transaction, inside a savepoint of its own
// that the runtime rolls back on failure, so a failure here undoes only this event's work. Throwing
// counts as a failed attempt (retried with backoff, then dead-lettered); a transient database error
// retries the whole batch.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual Outcome handle(const events::Event& event, pqxx::transaction_base& tx) = 0;
};

}  // namespace choreo::consumer
