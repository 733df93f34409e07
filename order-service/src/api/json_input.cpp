#include "api/json_input.hpp"

#include <nlohmann/json.hpp>

namespace choreo::order_service {

graphql::InputValue to_input_value(const nlohmann::json& json, int max_depth) {
  if (max_depth < 0) {
    throw JsonInputError("variables are nested too deeply");
  }
  using Type = nlohmann::json::value_t;
  switch (json.type()) {
    case Type::null:
    case Type::discarded:
      return {};
    case Type::boolean:
      return {json.get<bool>()};
    case Type::number_integer:
      return {json.get<std::int64_t>()};
    case Type::number_unsigned: {
      const auto value = json.get<std::uint64_t>();
      if (value > static_cast<std::uint64_t>(INT64_MAX)) {
        throw JsonInputError("a number in the variables is too large");
      }
      return {static_cast<std::int64_t>(value)};
    }
    case Type::number_float:
      return {json.get<double>()};
    case Type::string:
      return {json.get<std::string>()};
    case Type::array: {
      graphql::InputList list;
      list.items.reserve(json.size());
      for (const auto& item : json) {
        list.items.push_back(to_input_value(item, max_depth - 1));
      }
      return {std::move(list)};
    }
    case Type::object: {
      graphql::InputObject object;
      object.fields.reserve(json.size());
      for (const auto& [key, value] : json.items()) {
        object.fields.push_back({key, to_input_value(value, max_depth - 1)});
      }
      return {std::move(object)};
    }
    case Type::binary:
      break;
  }
  throw JsonInputError("the variables hold a value JSON cannot express");
}

}  // namespace choreo::order_service
