#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace choreo::order_service::ws {

// The `exp` claim of a JWT (header.payload.signature), read without checking anything: call it
// only for a token that TokenVerifier accepted. nullopt when there is none to read.
std::optional<std::chrono::system_clock::time_point> token_expiry(std::string_view token);

}  // namespace choreo::order_service::ws
