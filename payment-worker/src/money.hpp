#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace choreo::payment_worker {

// Money as whole cents: amounts travel as decimal text ("49.99") and are compared exactly, never
// as binary floating point (where 5000.01 > 5000.00 need not hold the way a customer expects).
using Cents = std::int64_t;

// "49.99", "5000", "0.5" -> cents; nullopt unless the text is a non-negative decimal with at most
// two decimal places and at most 15 integer digits (no sign, exponent, spaces or separators).
std::optional<Cents> parse_cents(std::string_view text);

// 4999 -> "49.99"; always two decimal places.
std::string format_cents(Cents cents);

}  // namespace choreo::payment_worker
