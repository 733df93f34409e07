#pragma once

#include <nats/nats.h>

#include <stdexcept>
#include <string>

namespace choreo::bus {

// A failed nats.c call. Most are transient (not connected, timeout, server restarting) and are
// retried by the caller; a JetStream API error (bad configuration) is not.
class NatsError : public std::runtime_error {
 public:
  NatsError(const std::string& operation, natsStatus status, jsErrCode js_error = jsErrCode(0));

  natsStatus status() const { return status_; }
  jsErrCode js_error() const { return js_error_; }
  bool transient() const;

 private:
  natsStatus status_;
  jsErrCode js_error_;
};

// Throws NatsError unless status is NATS_OK.
void check(natsStatus status, const char* operation, jsErrCode js_error = jsErrCode(0));

}  // namespace choreo::bus
