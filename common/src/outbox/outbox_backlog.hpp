#pragma once

#include <optional>
#include <string>

namespace pqxx {
class transaction_base;
}

namespace choreo::outbox {

// The rows an outbox has not yet published: the relay's gauges, `choreoctl status` and the
// dashboard read the same figures.
struct OutboxBacklog {
  long long unpublished = 0;
  double oldest_age_seconds = 0;  // of the oldest unpublished row; 0 when there is none
};

// Of `table` ("tb_outbox" on the search path, or a quoted schema.tb_outbox), every source's
// rows or only `source`'s. Both figures come from the unpublished rows' partial index.
OutboxBacklog read_outbox_backlog(pqxx::transaction_base& tx, const std::string& table,
                                  const std::optional<std::string>& source = std::nullopt);

}  // namespace choreo::outbox
