#pragma once

#include <chrono>
#include <stop_token>

namespace choreo::runtime {

// Sleeps for `duration`, or less if stop is requested meanwhile: retry loops and pollers use it so
// that a shutdown never waits out a backoff.
void interruptible_sleep(std::stop_token stop, std::chrono::milliseconds duration);

}  // namespace choreo::runtime
