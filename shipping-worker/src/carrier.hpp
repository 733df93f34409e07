#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace choreo::shipping_worker {

struct LabelRequest {
  // The order's id, also the idempotency key: asking twice for one order must give one label.
  std::string order_id;
  std::optional<std::string> shipping_address;
};

struct Label {
  std::string carrier;  // e.g. "SimPost"
  std::string label_id;
  std::string tracking_number;
};

// The carrier could not answer now (timeout, outage): worth retrying later.
class CarrierUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where shipping labels come from.
class Carrier {
 public:
  virtual ~Carrier() = default;
  virtual Label create_label(const LabelRequest& request) = 0;
};

}  // namespace choreo::shipping_worker
