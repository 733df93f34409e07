#pragma once

#include "carrier.hpp"

namespace choreo::shipping_worker {

// The built-in carrier: no network, labels derived from the order id alone, so asking again for
// the same order returns the same label (as a real carrier's idempotency key would).
class SimulatedCarrier final : public Carrier {
 public:
  static constexpr const char* kName = "SimPost";

  Label create_label(const LabelRequest& request) override;
};

}  // namespace choreo::shipping_worker
