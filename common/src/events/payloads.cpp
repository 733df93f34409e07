#include "events/payloads.hpp"

#include "events/event.hpp"

namespace choreo::events::codec {
namespace {

using nlohmann::json;

std::string quoted(const char* name) {
  return std::string("\"") + name + "\"";
}

// "49.99", "0", "-1.5": what PostgreSQL's numeric prints; no exponent, no spaces.
bool is_decimal(const std::string& text) {
  std::size_t at = text.rfind('-', 0) == 0 ? 1 : 0;
  std::size_t digits = 0;
  bool point = false;
  for (; at < text.size(); ++at) {
    const char c = text[at];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.' && !point && digits > 0) {
      point = true;
    } else {
      return false;
    }
  }
  return digits > 0 && text.back() != '.';
}

}  // namespace

const json* find(const json& payload, const char* name) {
  const auto found = payload.find(name);
  return found == payload.end() ? nullptr : &*found;
}

void read(const json& value, const char* name, Check check, std::string& out) {
  if (!value.is_string())
    throw PayloadError(quoted(name) + " must be a string");
  out = value.get<std::string>();
  if (check == Check::kUuid && !is_uuid(out))
    throw PayloadError(quoted(name) + " must be a UUID");
  if (check == Check::kDecimal && !is_decimal(out))
    throw PayloadError(quoted(name) + " must be a decimal number as text, e.g. \"49.99\"");
}

void read(const json& value, const char* name, Check, bool& out) {
  if (!value.is_boolean())
    throw PayloadError(quoted(name) + " must be true or false");
  out = value.get<bool>();
}

void read(const json& value, const char* name, Check, std::vector<OrderLine>& out) {
  if (!value.is_array())
    throw PayloadError(quoted(name) + " must be a list");
  out.clear();
  out.reserve(value.size());
  for (const auto& item : value) {
    if (!item.is_object())
      throw PayloadError(quoted(name) + " must be a list of {sku, quantity}");
    OrderLine line;
    const json* sku = find(item, "sku");
    if (sku == nullptr)
      throw PayloadError("an item lacks \"sku\"");
    read(*sku, "sku", Check::kText, line.sku);
    const json* quantity = find(item, "quantity");
    if (quantity == nullptr || !quantity->is_number_integer() || quantity->get<long long>() < 1 ||
        quantity->get<long long>() > 1'000'000) {
      throw PayloadError("\"quantity\" must be an integer from 1 to 1000000");
    }
    line.quantity = quantity->get<int>();
    out.push_back(std::move(line));
  }
}

json write(const std::string& value) {
  return value;
}

json write(bool value) {
  return value;
}

json write(const std::vector<OrderLine>& value) {
  json array = json::array();
  for (const auto& line : value)
    array.push_back({{"sku", line.sku}, {"quantity", line.quantity}});
  return array;
}

}  // namespace choreo::events::codec
