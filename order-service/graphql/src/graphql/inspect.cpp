#include "graphql/inspect.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace choreo::graphql {

namespace {

constexpr std::size_t kMaxDepth = 2;
constexpr std::size_t kMaxItems = 10;

std::string quoted(const std::string& text) {
  std::string out;
  write_json_string(text, out);
  return out;
}

template <typename Items, typename Format>
std::string format_list(const Items& items, std::size_t depth, Format&& format) {
  if (items.empty()) {
    return "[]";
  }
  if (depth > kMaxDepth) {
    return "[Array]";
  }
  std::string out = "[";
  const std::size_t shown = items.size() < kMaxItems ? items.size() : kMaxItems;
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += format(items[i], depth + 1);
  }
  const std::size_t remaining = items.size() - shown;
  if (remaining == 1) {
    out += ", ... 1 more item";
  } else if (remaining > 1) {
    out += ", ... " + std::to_string(remaining) + " more items";
  }
  return out + "]";
}

template <typename Fields, typename Format>
std::string format_object(const Fields& fields, std::size_t depth, Format&& format) {
  if (fields.empty()) {
    return "{}";
  }
  if (depth > kMaxDepth) {
    return "[Object]";
  }
  std::string out = "{ ";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += fields[i].name + ": " + format(fields[i].value, depth + 1);
  }
  return out + " }";
}

std::string inspect_input(const InputValue& value, std::size_t depth) {
  if (value.is_null()) {
    return "null";
  }
  if (const bool* b = value.boolean()) {
    return *b ? "true" : "false";
  }
  if (const std::int64_t* i = value.integer()) {
    return std::to_string(*i);
  }
  if (const double* d = value.number()) {
    return format_double(*d);
  }
  if (const std::string* s = value.string()) {
    return quoted(*s);
  }
  if (const InputList* list = value.list()) {
    return format_list(list->items, depth, inspect_input);
  }
  return format_object(value.object()->fields, depth, inspect_input);
}

std::string inspect_result(const ResultValue& value, std::size_t depth) {
  if (value.is_null()) {
    return "null";
  }
  if (const bool* b = std::get_if<bool>(&value.kind)) {
    return *b ? "true" : "false";
  }
  if (const std::int64_t* i = std::get_if<std::int64_t>(&value.kind)) {
    return std::to_string(*i);
  }
  if (const double* d = std::get_if<double>(&value.kind)) {
    return format_double(*d);
  }
  if (const std::string* s = std::get_if<std::string>(&value.kind)) {
    return quoted(*s);
  }
  if (const RawJson* raw = std::get_if<RawJson>(&value.kind)) {
    return raw->text.size() <= 64 ? raw->text : raw->text.substr(0, 64) + "...";
  }
  if (const ResultList* list = std::get_if<ResultList>(&value.kind)) {
    return format_list(list->items, depth, inspect_result);
  }
  return format_object(std::get<ResultObject>(value.kind).fields, depth, inspect_result);
}

}  // namespace

std::string format_double(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "Infinity" : "-Infinity";
  }
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string inspect(const InputValue& value) {
  return inspect_input(value, 1);
}
std::string inspect(const ResultValue& value) {
  return inspect_result(value, 1);
}

}  // namespace choreo::graphql
