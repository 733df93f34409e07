#include "bus/nats_error.hpp"

namespace choreo::bus {
namespace {

std::string message_for(const std::string& operation, natsStatus status, jsErrCode js_error) {
  std::string message = operation + " failed: " + natsStatus_GetText(status);
  if (js_error != 0)
    message += " (JetStream error " + std::to_string(js_error) + ")";
  return message;
}

}  // namespace

NatsError::NatsError(const std::string& operation, natsStatus status, jsErrCode js_error)
    : std::runtime_error(message_for(operation, status, js_error)),
      status_(status),
      js_error_(js_error) {}

bool NatsError::transient() const {
  switch (status_) {
    case NATS_TIMEOUT:
    case NATS_CONNECTION_CLOSED:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_NO_SERVER:
    case NATS_STALE_CONNECTION:
    case NATS_IO_ERROR:
    case NATS_NO_RESPONDERS:
    case NATS_SLOW_CONSUMER:
    case NATS_MAX_DELIVERED_MSGS:
      return true;
    default:
      // A JetStream error without a specific code (e.g. "JetStream not ready" right after a
      // server restart) is worth retrying; configuration errors carry a code.
      return status_ == NATS_ERR && js_error_ == 0;
  }
}

void check(natsStatus status, const char* operation, jsErrCode js_error) {
  if (status != NATS_OK)
    throw NatsError(operation, status, js_error);
}

}  // namespace choreo::bus
