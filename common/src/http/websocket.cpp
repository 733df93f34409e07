#include "http/websocket.hpp"

namespace choreo::http {
namespace {

bool offers(std::string_view offered, std::string_view name) {
  while (!offered.empty()) {
    const auto comma = offered.find(',');
    if (trim_field_whitespace(offered.substr(0, comma)) == name)
      return true;
    if (comma == std::string_view::npos)
      break;
    offered.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::optional<std::string> choose_subprotocol(const std::string* offered,
                                              const std::vector<std::string>& supported) {
  if (supported.empty())
    return std::string();
  if (offered == nullptr)
    return std::nullopt;
  for (const auto& name : supported) {
    if (offers(*offered, name))
      return name;
  }
  return std::nullopt;
}

std::string close_reason_for_frame(std::string_view reason) {
  // RFC 6455 §5.5: a control frame's payload is at most 125 bytes, two of which are the code.
  constexpr std::size_t kMaxReason = 123;
  if (reason.size() <= kMaxReason)
    return std::string(reason);
  std::size_t end = kMaxReason;
  // Back up over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && (static_cast<unsigned char>(reason[end]) & 0xC0) == 0x80)
    --end;
  return std::string(reason.substr(0, end));
}

}  // namespace choreo::http
