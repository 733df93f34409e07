#include "ws/token_expiry.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace choreo::order_service::ws {
namespace {

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == '=')
      break;
    const int value = base64url_value(c);
    if (value < 0)
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> token_expiry(std::string_view token) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos)
    return std::nullopt;
  const auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  if (!payload)
    return std::nullopt;
  const auto claims = nlohmann::json::parse(*payload, nullptr, false);
  if (!claims.is_object())
    return std::nullopt;
  const auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number())
    return std::nullopt;
  const auto seconds = static_cast<std::int64_t>(exp->get<double>());
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace choreo::order_service::ws
