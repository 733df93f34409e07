#include "ws/subscription_filter.hpp"

#include <variant>

namespace choreo::order_service::ws {
namespace {

constexpr const char* kRootField = "orderStatusUpdated";
constexpr const char* kArgument = "orderId";

const graphql::FragmentDefinition* fragment(const graphql::Document& document,
                                            const std::string& name) {
  for (const auto& definition : document.definitions) {
    if (const auto* found = std::get_if<graphql::FragmentDefinition>(&definition);
        found != nullptr && found->name == name) {
      return found;
    }
  }
  return nullptr;
}

// The root field in `selections`, looking through fragments (at most `depth` levels, as a guard:
// validation already refused cycles).
const graphql::Field* root_field(const graphql::Document& document,
                                 const graphql::SelectionSet& selections, int depth) {
  if (depth <= 0)
    return nullptr;
  for (const auto& selection : selections.selections) {
    const graphql::Field* found = nullptr;
    if (const auto* field = std::get_if<graphql::Field>(&selection)) {
      if (field->name == kRootField)
        found = field;
    } else if (const auto* inline_fragment = std::get_if<graphql::InlineFragment>(&selection)) {
      found = root_field(document, inline_fragment->selection_set, depth - 1);
    } else if (const auto* spread = std::get_if<graphql::FragmentSpread>(&selection)) {
      if (const auto* definition = fragment(document, spread->name))
        found = root_field(document, definition->selection_set, depth - 1);
    }
    if (found != nullptr)
      return found;
  }
  return nullptr;
}

std::optional<std::string> id_text(const graphql::InputValue& value) {
  if (value.is_null())
    return std::nullopt;
  if (const auto* text = value.string())
    return *text;
  if (const auto* number = value.integer())
    return std::to_string(*number);
  throw FilterError("orderId must be an ID (a string).");
}

std::optional<std::string> literal_text(const graphql::Value& value) {
  if (const auto* text = std::get_if<graphql::StringValue>(&value.kind))
    return text->value;
  if (const auto* number = std::get_if<graphql::IntValue>(&value.kind))
    return number->text;
  if (std::holds_alternative<graphql::NullValue>(value.kind))
    return std::nullopt;
  throw FilterError("orderId must be an ID (a string).");
}

}  // namespace

std::optional<std::string> order_id_filter(const graphql::PreparedOperation& operation,
                                           const graphql::InputObject& variables) {
  const auto* field = root_field(*operation.document, operation.operation->selection_set, 16);
  if (field == nullptr)
    return std::nullopt;
  for (const auto& argument : field->arguments) {
    if (argument.name != kArgument)
      continue;
    const auto* variable = std::get_if<graphql::Variable>(&argument.value.kind);
    if (variable == nullptr)
      return literal_text(argument.value);
    if (const auto* value = variables.find(variable->name))
      return id_text(*value);
    for (const auto& definition : operation.operation->variable_definitions) {
      if (definition.name == variable->name && definition.default_value)
        return literal_text(*definition.default_value);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace choreo::order_service::ws
