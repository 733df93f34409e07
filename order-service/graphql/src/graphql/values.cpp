#include "graphql/values.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace choreo::graphql {

const InputValue* InputObject::find(std::string_view name) const {
  for (const InputField& field : fields) {
    if (field.name == name) {
      return &field.value;
    }
  }
  return nullptr;
}

namespace {

void write_double(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  // to_chars without a precision gives the shortest text that reads back as the same double.
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

}  // namespace

void write_json_string(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20U) {
          out += "\\u00";
          out += kHex[byte >> 4U];
          out += kHex[byte & 0x0FU];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void write_json(const ResultValue& value, std::string& out) {
  struct Writer {
    std::string& out;
    void operator()(std::nullptr_t) const { out += "null"; }
    void operator()(bool b) const { out += b ? "true" : "false"; }
    void operator()(std::int64_t i) const { out += std::to_string(i); }
    void operator()(double d) const { write_double(d, out); }
    void operator()(const std::string& s) const { write_json_string(s, out); }
    void operator()(const RawJson& raw) const { out += raw.text; }
    void operator()(const ResultList& list) const {
      out += '[';
      bool first = true;
      for (const ResultValue& item : list.items) {
        if (!first) {
          out += ',';
        }
        first = false;
        write_json(item, out);
      }
      out += ']';
    }
    void operator()(const ResultObject& object) const {
      out += '{';
      bool first = true;
      for (const ResultField& field : object.fields) {
        if (!first) {
          out += ',';
        }
        first = false;
        write_json_string(field.name, out);
        out += ':';
        write_json(field.value, out);
      }
      out += '}';
    }
  };
  std::visit(Writer{out}, value.kind);
}

}  // namespace choreo::graphql
