#include "money.hpp"

namespace choreo::payment_worker {
namespace {

constexpr std::size_t kMaxIntegerDigits = 15;  // well inside int64 once scaled by 100

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9')
      return false;
  }
  return true;
}

Cents digits_value(std::string_view digits) {
  Cents value = 0;
  for (const char c : digits)
    value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::optional<Cents> parse_cents(std::string_view text) {
  const auto point = text.find('.');
  const auto whole = text.substr(0, point);
  const auto fraction =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (whole.empty() || whole.size() > kMaxIntegerDigits || !all_digits(whole))
    return std::nullopt;
  if (point != std::string_view::npos && (fraction.empty() || fraction.size() > 2))
    return std::nullopt;
  if (!all_digits(fraction))
    return std::nullopt;
  Cents cents = digits_value(whole) * 100;
  if (fraction.size() == 1)
    cents += digits_value(fraction) * 10;
  else if (fraction.size() == 2)
    cents += digits_value(fraction);
  return cents;
}

std::string format_cents(Cents cents) {
  const bool negative = cents < 0;
  const auto magnitude = negative ? -cents : cents;
  auto fraction = std::to_string(magnitude % 100);
  if (fraction.size() < 2)
    fraction.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + fraction;
}

}  // namespace choreo::payment_worker
