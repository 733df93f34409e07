#include "graphql/validation.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "graphql/ast_equivalence.hpp"
#include "graphql/input_coercion.hpp"

namespace choreo::graphql {

namespace {

std::string quote(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// A variable as some argument or input field uses it.
struct VariableUsage {
  std::string name;
  std::optional<TypeRef> expected;  // unknown when the position itself is invalid
  bool position_has_default = false;
  SourceLocation location;
};

// What validation learns about one definition (an operation or a fragment) in its single walk.
struct DefinitionFacts {
  std::vector<VariableUsage> variable_usages;
  std::vector<std::string> spreads;  // names of the fragments spread directly
  std::vector<SourceLocation> spread_locations;
};

// The limit counters of a selection set or fragment, each capped just above its limit.
struct Totals {
  std::size_t depth = 0;
  std::size_t fields = 0;
  std::size_t aliases = 0;
};

std::size_t capped_sum(std::size_t a, std::size_t b, std::size_t cap) {
  return (a >= cap || b >= cap || a + b >= cap) ? cap : a + b;
}

class Validator {
 public:
  Validator(const Schema::Impl& schema, const Document& document, const RequestLimits& limits)
      : schema_(schema), document_(document), limits_(limits) {}

  std::vector<GraphQLError> run() {
    // The reference implementation reports these before anything else, so a document that has
    // them gets only them: the other rules were written for executable definitions.
    if (!check_executable_definitions() || !check_operation_count()) {
      return std::move(errors_);
    }
    index_definitions();
    for (const Definition& definition : document_.definitions) {
      if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        check_operation(*operation);
      } else {
        check_fragment(std::get<FragmentDefinition>(definition));
      }
    }
    check_fragment_cycles();
    if (!cyclic_) {
      for (const Definition& definition : document_.definitions) {
        if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
          check_operation_variables(*operation);
        }
      }
      check_unused_fragments();
    }
    if (!errors_.empty()) {
      return std::move(errors_);
    }
    // Only a document whose fragments are known and acyclic gets here, so expanding is safe;
    // the limits are checked first so the merge check works on a bounded number of fields.
    for (const Definition& definition : document_.definitions) {
      if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        check_limits(*operation);
      }
    }
    if (!errors_.empty()) {
      return std::move(errors_);
    }
    for (const Definition& definition : document_.definitions) {
      if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        if (const TypeDefinition* root = schema_.root_type(operation->operation)) {
          check_merging({&operation->selection_set}, *root, "");
        }
      }
    }
    return std::move(errors_);
  }

 private:
  void error(std::string message, std::vector<SourceLocation> locations) {
    errors_.push_back(
        GraphQLError{std::move(message), std::move(locations), {}, error_code::kValidationFailed});
  }

  // ---- Definitions ----

  // Whether every definition is an operation or a fragment; reports each one that is not.
  bool check_executable_definitions() {
    bool executable = true;
    for (const Definition& definition : document_.definitions) {
      if (is_executable(definition)) {
        continue;
      }
      executable = false;
      std::visit(
          [this](const auto& node) {
            using Node = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<Node, type_system::SchemaDefinition>) {
              error("The schema definition is not executable.", {node.location});
            } else if constexpr (!std::is_same_v<Node, OperationDefinition> &&
                                 !std::is_same_v<Node, FragmentDefinition>) {
              error("The " + quote(node.name) + " definition is not executable.", {node.location});
            }
          },
          definition);
    }
    return executable;
  }

  // A request limit, checked before the rules so a flood of operations costs little.
  bool check_operation_count() {
    std::size_t count = 0;
    for (const Definition& definition : document_.definitions) {
      const auto* operation = std::get_if<OperationDefinition>(&definition);
      if (operation != nullptr && ++count > limits_.max_operations) {
        error("The document contains more than " + std::to_string(limits_.max_operations) +
                  " operations.",
              {operation->location});
        return false;
      }
    }
    return true;
  }

  void index_definitions() {
    std::map<std::string_view, SourceLocation> operation_names;
    std::size_t operation_count = 0;
    for (const Definition& definition : document_.definitions) {
      if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        ++operation_count;
        if (operation->name) {
          const auto [it, inserted] =
              operation_names.emplace(*operation->name, operation->location);
          if (!inserted) {
            error("There can be only one operation named " + quote(*operation->name) + ".",
                  {it->second, operation->location});
          }
        }
      } else {
        const auto& fragment = std::get<FragmentDefinition>(definition);
        const auto [it, inserted] = fragments_.emplace(fragment.name, &fragment);
        if (!inserted) {
          error("There can be only one fragment named " + quote(fragment.name) + ".",
                {it->second->location, fragment.location});
        }
      }
    }
    if (operation_count > 1) {
      for (const Definition& definition : document_.definitions) {
        const auto* operation = std::get_if<OperationDefinition>(&definition);
        if (operation != nullptr && !operation->name) {
          error("This anonymous operation must be the only defined operation.",
                {operation->location});
        }
      }
    }
  }

  void check_operation(const OperationDefinition& operation) {
    DefinitionFacts& facts = operation_facts_[&operation];
    const TypeDefinition* root = schema_.root_type(operation.operation);
    if (root == nullptr) {
      error("Schema is not configured to execute " +
                std::string(operation_type_name(operation.operation)) + " operation.",
            {operation.location});
    }
    check_variable_definitions(operation, facts);
    const DirectiveLocation location =
        operation.operation == OperationType::kQuery      ? DirectiveLocation::kQuery
        : operation.operation == OperationType::kMutation ? DirectiveLocation::kMutation
                                                          : DirectiveLocation::kSubscription;
    check_directives(operation.directives, location, facts);
    if (operation.operation == OperationType::kSubscription && root != nullptr) {
      std::set<const FragmentDefinition*> visited;
      if (count_root_fields(operation.selection_set, visited) > 1) {
        error(operation.name ? "Subscription " + quote(*operation.name) +
                                   " must select only one top level field."
                             : std::string("Anonymous Subscription must select only one top "
                                           "level field."),
              {operation.location});
      }
    }
    check_selection_set(operation.selection_set, root, facts);
  }

  // Response keys at the top of a subscription, fragments expanded at that level only.
  std::size_t count_root_fields(const SelectionSet& set,
                                std::set<const FragmentDefinition*>& visited) {
    std::set<std::string> keys;
    collect_root_keys(set, visited, keys);
    return keys.size();
  }

  void collect_root_keys(const SelectionSet& set, std::set<const FragmentDefinition*>& visited,
                         std::set<std::string>& keys) {
    for (const Selection& selection : set.selections) {
      if (const auto* field = std::get_if<Field>(&selection)) {
        keys.insert(field->response_key());
      } else if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
        const auto it = fragments_.find(spread->name);
        if (it != fragments_.end() && visited.insert(it->second).second) {
          collect_root_keys(it->second->selection_set, visited, keys);
        }
      } else {
        collect_root_keys(std::get<InlineFragment>(selection).selection_set, visited, keys);
      }
    }
  }

  void check_variable_definitions(const OperationDefinition& operation, DefinitionFacts& facts) {
    std::set<std::string_view> names;
    for (const VariableDefinition& variable : operation.variable_definitions) {
      if (!names.insert(variable.name).second) {
        error("There can be only one variable named \"$" + variable.name + "\".",
              {variable.location});
      }
      check_directives(variable.directives, DirectiveLocation::kVariableDefinition, facts);
      const std::optional<TypeRef> type = schema_.resolve(variable.type);
      if (!type) {
        error("Unknown type " + quote(named_type_name(variable.type)) + ".",
              {named_type_location(variable.type)});
        continue;
      }
      if (!is_input_type(*type)) {
        error("Variable \"$" + variable.name + "\" cannot be non-input type " + quote(type->sdl()) +
                  ".",
              {variable.type.location});
        continue;
      }
      if (variable.default_value) {
        check_value(*variable.default_value, *type);
      }
    }
  }

  static const std::string& named_type_name(const Type& type) {
    if (const auto* named = std::get_if<NamedType>(&type.kind)) {
      return named->name;
    }
    if (const auto* list = std::get_if<ListType>(&type.kind)) {
      return named_type_name(*list->item_type);
    }
    return named_type_name(*std::get<NonNullType>(type.kind).nullable_type);
  }

  static SourceLocation named_type_location(const Type& type) {
    if (const auto* list = std::get_if<ListType>(&type.kind)) {
      return named_type_location(*list->item_type);
    }
    if (const auto* non_null = std::get_if<NonNullType>(&type.kind)) {
      return named_type_location(*non_null->nullable_type);
    }
    return type.location;
  }

  void check_fragment(const FragmentDefinition& fragment) {
    DefinitionFacts& facts = fragment_facts_[fragment.name];
    check_directives(fragment.directives, DirectiveLocation::kFragmentDefinition, facts);
    const TypeDefinition* type = schema_.find_type(fragment.type_condition.name);
    if (type == nullptr) {
      error("Unknown type " + quote(fragment.type_condition.name) + ".",
            {fragment.type_condition.location});
    } else if (!type->is_composite()) {
      error("Fragment " + quote(fragment.name) + " cannot condition on non composite type " +
                quote(type->name) + ".",
            {fragment.type_condition.location});
      type = nullptr;
    }
    check_selection_set(fragment.selection_set, type, facts);
  }

  // ---- Selections ----

  // `parent` is null when the enclosing field or condition is itself invalid: the walk goes on
  // to find unknown fragments, directives and variables, without type checks.
  void check_selection_set(const SelectionSet& set, const TypeDefinition* parent,
                           DefinitionFacts& facts) {
    for (const Selection& selection : set.selections) {
      if (const auto* field = std::get_if<Field>(&selection)) {
        check_field(*field, parent, facts);
      } else if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
        check_spread(*spread, parent, facts);
      } else {
        check_inline_fragment(std::get<InlineFragment>(selection), parent, facts);
      }
    }
  }

  void check_field(const Field& field, const TypeDefinition* parent, DefinitionFacts& facts) {
    check_directives(field.directives, DirectiveLocation::kField, facts);
    const OutputFieldDefinition* definition = nullptr;
    std::optional<TypeRef> field_type;
    if (parent != nullptr) {
      if (field.name == "__typename") {
        field_type = TypeRef{TypeRef::Kind::kNonNull, nullptr,
                             std::make_shared<const TypeRef>(
                                 TypeRef{TypeRef::Kind::kNamed, schema_.find_type("String"), {}})};
      } else {
        definition = schema_.find_field(*parent, field.name);
        if (definition == nullptr) {
          error("Cannot query field " + quote(field.name) + " on type " + quote(parent->name) + ".",
                {field.location});
        } else {
          field_type = definition->type;
        }
      }
    }
    if (field_type) {
      static const std::vector<InputValueDefinition> kNoArguments;
      check_arguments(field.arguments, definition != nullptr ? definition->arguments : kNoArguments,
                      "field " + quote(parent->name + "." + field.name), facts);
      if (definition != nullptr) {
        check_required_arguments(field.arguments, definition->arguments,
                                 "Field " + quote(field.name), field.location);
      }
    } else {
      for (const Argument& argument : field.arguments) {
        collect_usages(argument.value, nullptr, false, facts);
      }
    }
    const TypeDefinition* base = field_type ? &field_type->base() : nullptr;
    if (base != nullptr && base->is_leaf() && field.selection_set) {
      error("Field " + quote(field.name) + " must not have a selection since type " +
                quote(field_type->sdl()) + " has no subfields.",
            {field.selection_set->location});
    } else if (base != nullptr && !base->is_leaf() && !field.selection_set) {
      error("Field " + quote(field.name) + " of type " + quote(field_type->sdl()) +
                " must have a selection of subfields. Did you mean \"" + field.name + " { ... }\"?",
            {field.location});
    }
    if (field.selection_set) {
      check_selection_set(*field.selection_set,
                          base != nullptr && base->is_composite() ? base : nullptr, facts);
    }
  }

  void check_spread(const FragmentSpread& spread, const TypeDefinition* parent,
                    DefinitionFacts& facts) {
    check_directives(spread.directives, DirectiveLocation::kFragmentSpread, facts);
    facts.spreads.push_back(spread.name);
    facts.spread_locations.push_back(spread.location);
    const auto it = fragments_.find(spread.name);
    if (it == fragments_.end()) {
      error("Unknown fragment " + quote(spread.name) + ".", {spread.location});
      return;
    }
    const TypeDefinition* condition = schema_.find_type(it->second->type_condition.name);
    if (parent != nullptr && condition != nullptr && condition->is_composite() &&
        condition != parent) {
      error("Fragment " + quote(spread.name) + " cannot be spread here as objects of type " +
                quote(parent->name) + " can never be of type " + quote(condition->name) + ".",
            {spread.location});
    }
  }

  void check_inline_fragment(const InlineFragment& fragment, const TypeDefinition* parent,
                             DefinitionFacts& facts) {
    check_directives(fragment.directives, DirectiveLocation::kInlineFragment, facts);
    const TypeDefinition* type = parent;
    if (fragment.type_condition) {
      type = schema_.find_type(fragment.type_condition->name);
      if (type == nullptr) {
        error("Unknown type " + quote(fragment.type_condition->name) + ".",
              {fragment.type_condition->location});
      } else if (!type->is_composite()) {
        error("Fragment cannot condition on non composite type " + quote(type->name) + ".",
              {fragment.type_condition->location});
        type = nullptr;
      } else if (parent != nullptr && type != parent) {
        error("Fragment cannot be spread here as objects of type " + quote(parent->name) +
                  " can never be of type " + quote(type->name) + ".",
              {fragment.location});
      }
    }
    check_selection_set(fragment.selection_set, type, facts);
  }

  // ---- Arguments, directives and values ----

  // `owner` names the field or directive in messages: `field "Query.order"`, `directive "@skip"`.
  void check_arguments(const std::vector<Argument>& arguments,
                       const std::vector<InputValueDefinition>& definitions,
                       const std::string& owner, DefinitionFacts& facts) {
    for (std::size_t i = 0; i < arguments.size(); ++i) {
      const Argument& argument = arguments[i];
      for (std::size_t j = 0; j < i; ++j) {
        if (arguments[j].name == argument.name) {
          error("There can be only one argument named " + quote(argument.name) + ".",
                {arguments[j].location, argument.location});
          break;
        }
      }
      const InputValueDefinition* definition = nullptr;
      for (const InputValueDefinition& candidate : definitions) {
        if (candidate.name == argument.name) {
          definition = &candidate;
        }
      }
      if (definition == nullptr) {
        error("Unknown argument " + quote(argument.name) + " on " + owner + ".",
              {argument.location});
        collect_usages(argument.value, nullptr, false, facts);
        continue;
      }
      check_value(argument.value, definition->type);
      collect_usages(argument.value, &definition->type, definition->default_value.has_value(),
                     facts);
    }
  }

  // `owner` starts the message: `Field "order"`, `Directive "@include"`.
  void check_required_arguments(const std::vector<Argument>& arguments,
                                const std::vector<InputValueDefinition>& definitions,
                                const std::string& owner, SourceLocation location) {
    for (const InputValueDefinition& definition : definitions) {
      if (!definition.type.non_null() || definition.default_value) {
        continue;
      }
      const bool given = std::any_of(arguments.begin(), arguments.end(),
                                     [&](const Argument& a) { return a.name == definition.name; });
      if (!given) {
        error(owner + " argument " + quote(definition.name) + " of type " +
                  quote(definition.type.sdl()) + " is required, but it was not provided.",
              {location});
      }
    }
  }

  void check_value(const Value& value, const TypeRef& type) {
    std::vector<CoercionIssue> issues;
    std::vector<PathSegment> path;
    coerce_literal(value, type, LiteralScope{nullptr, false}, issues, path);
    for (CoercionIssue& issue : issues) {
      error(std::move(issue.message), {issue.location});
    }
  }

  void collect_usages(const Value& value, const TypeRef* expected, bool position_has_default,
                      DefinitionFacts& facts) {
    if (const auto* variable = std::get_if<Variable>(&value.kind)) {
      facts.variable_usages.push_back(VariableUsage{
          variable->name, expected != nullptr ? std::optional<TypeRef>(*expected) : std::nullopt,
          position_has_default, value.location});
    } else if (const auto* list = std::get_if<ListValue>(&value.kind)) {
      const TypeRef* item_type = nullptr;
      if (expected != nullptr && expected->nullable().list()) {
        item_type = expected->nullable().of.get();
      }
      for (const Value& item : list->values) {
        collect_usages(item, item_type, false, facts);
      }
    } else if (const auto* object = std::get_if<ObjectValue>(&value.kind)) {
      const TypeDefinition* input = nullptr;
      if (expected != nullptr && !expected->nullable().list() &&
          expected->base().kind == TypeKind::kInputObject) {
        input = &expected->base();
      }
      for (const ObjectField& field : object->fields) {
        const InputValueDefinition* definition =
            input != nullptr ? input->find_input_field(field.name) : nullptr;
        collect_usages(field.value, definition != nullptr ? &definition->type : nullptr,
                       definition != nullptr && definition->default_value.has_value(), facts);
      }
    }
  }

  void check_directives(const std::vector<Directive>& directives, DirectiveLocation location,
                        DefinitionFacts& facts) {
    for (std::size_t i = 0; i < directives.size(); ++i) {
      const Directive& directive = directives[i];
      const DirectiveDefinition* definition = schema_.find_directive(directive.name);
      if (definition == nullptr) {
        error("Unknown directive \"@" + directive.name + "\".", {directive.location});
        for (const Argument& argument : directive.arguments) {
          collect_usages(argument.value, nullptr, false, facts);
        }
        continue;
      }
      if (!definition->allowed_at(location)) {
        error("Directive \"@" + directive.name + "\" may not be used on " +
                  std::string(directive_location_name(location)) + ".",
              {directive.location});
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (directives[j].name == directive.name) {
          error("The directive \"@" + directive.name + "\" can only be used once at this location.",
                {directives[j].location, directive.location});
          break;
        }
      }
      check_arguments(directive.arguments, definition->arguments,
                      "directive \"@" + directive.name + "\"", facts);
      check_required_arguments(directive.arguments, definition->arguments,
                               "Directive \"@" + directive.name + "\"", directive.location);
    }
  }

  // ---- Fragments ----

  // Reports each cycle once, naming the spreads it goes through (graphql-js's algorithm and
  // wording). Every fragment is entered once, so this is linear.
  void check_fragment_cycles() {
    std::set<std::string_view> visited;
    std::map<std::string_view, std::size_t> path_index;
    for (const Definition& definition : document_.definitions) {
      if (const auto* fragment = std::get_if<FragmentDefinition>(&definition)) {
        detect_cycles(*fragment, visited, path_index);
      }
    }
  }

  void detect_cycles(const FragmentDefinition& fragment, std::set<std::string_view>& visited,
                     std::map<std::string_view, std::size_t>& path_index) {
    if (!visited.insert(fragment.name).second) {
      return;
    }
    const DefinitionFacts& facts = fragment_facts_[fragment.name];
    path_index[fragment.name] = spread_path_.size();
    for (std::size_t i = 0; i < facts.spreads.size(); ++i) {
      const std::string& name = facts.spreads[i];
      spread_path_.emplace_back(name, facts.spread_locations[i]);
      const auto cycle = path_index.find(name);
      if (cycle == path_index.end()) {
        const auto target = fragments_.find(name);
        if (target != fragments_.end()) {
          detect_cycles(*target->second, visited, path_index);
        }
      } else {
        cyclic_ = true;
        std::string via;
        std::vector<SourceLocation> locations;
        for (std::size_t j = cycle->second; j < spread_path_.size(); ++j) {
          locations.push_back(spread_path_[j].second);
          if (j + 1 < spread_path_.size()) {
            via += (via.empty() ? "" : ", ") + quote(spread_path_[j].first);
          }
        }
        error("Cannot spread fragment " + quote(name) + " within itself" +
                  (via.empty() ? std::string(".") : " via " + via + "."),
              std::move(locations));
      }
      spread_path_.pop_back();
    }
    path_index.erase(fragment.name);
  }

  // The fragments an operation reaches, directly or through other fragments.
  std::vector<const FragmentDefinition*> reachable_fragments(const DefinitionFacts& facts) {
    std::vector<const FragmentDefinition*> reached;
    std::set<std::string_view> seen;
    std::vector<std::string_view> pending(facts.spreads.begin(), facts.spreads.end());
    while (!pending.empty()) {
      const std::string_view name = pending.back();
      pending.pop_back();
      const auto it = fragments_.find(name);
      if (it == fragments_.end() || !seen.insert(name).second) {
        continue;
      }
      reached.push_back(it->second);
      for (const std::string& next : fragment_facts_[it->second->name].spreads) {
        pending.push_back(next);
      }
    }
    return reached;
  }

  void check_unused_fragments() {
    std::set<std::string_view> used;
    for (const auto& [operation, facts] : operation_facts_) {
      for (const FragmentDefinition* fragment : reachable_fragments(facts)) {
        used.insert(fragment->name);
      }
    }
    for (const Definition& definition : document_.definitions) {
      const auto* fragment = std::get_if<FragmentDefinition>(&definition);
      if (fragment != nullptr && !used.count(fragment->name)) {
        error("Fragment " + quote(fragment->name) + " is never used.", {fragment->location});
      }
    }
  }

  // ---- Variables of an operation ----

  void check_operation_variables(const OperationDefinition& operation) {
    const DefinitionFacts& facts = operation_facts_[&operation];
    std::vector<const VariableUsage*> usages;
    for (const VariableUsage& usage : facts.variable_usages) {
      usages.push_back(&usage);
    }
    for (const FragmentDefinition* fragment : reachable_fragments(facts)) {
      for (const VariableUsage& usage : fragment_facts_[fragment->name].variable_usages) {
        usages.push_back(&usage);
      }
    }
    const std::string for_operation =
        operation.name ? " by operation " + quote(*operation.name) : std::string();
    std::set<std::string_view> used;
    for (const VariableUsage* usage : usages) {
      used.insert(usage->name);
      const VariableDefinition* definition = nullptr;
      for (const VariableDefinition& candidate : operation.variable_definitions) {
        if (candidate.name == usage->name) {
          definition = &candidate;
          break;
        }
      }
      if (definition == nullptr) {
        error("Variable \"$" + usage->name + "\" is not defined" + for_operation + ".",
              {usage->location, operation.location});
        continue;
      }
      const std::optional<TypeRef> type = schema_.resolve(definition->type);
      if (!type || !usage->expected || !is_input_type(*type)) {
        continue;
      }
      const bool has_default = definition->default_value.has_value() &&
                               !std::holds_alternative<NullValue>(definition->default_value->kind);
      if (!usage_allowed(*type, has_default, *usage->expected, usage->position_has_default)) {
        error("Variable \"$" + usage->name + "\" of type " + quote(type->sdl()) +
                  " used in position expecting type " + quote(usage->expected->sdl()) + ".",
              {definition->location, usage->location});
      }
    }
    for (const VariableDefinition& definition : operation.variable_definitions) {
      if (!used.count(definition.name)) {
        error("Variable \"$" + definition.name + "\" is never used" +
                  (operation.name ? " in operation " + quote(*operation.name) : std::string()) +
                  ".",
              {definition.location});
      }
    }
  }

  // The spec's IsVariableUsageAllowed and AreTypesCompatible (§5.8.5).
  static bool usage_allowed(const TypeRef& variable_type, bool variable_has_default,
                            const TypeRef& location_type, bool location_has_default) {
    if (location_type.non_null() && !variable_type.non_null()) {
      if (!variable_has_default && !location_has_default) {
        return false;
      }
      return types_compatible(variable_type, *location_type.of);
    }
    return types_compatible(variable_type, location_type);
  }

  static bool types_compatible(const TypeRef& variable_type, const TypeRef& location_type) {
    if (location_type.non_null()) {
      return variable_type.non_null() && types_compatible(*variable_type.of, *location_type.of);
    }
    if (variable_type.non_null()) {
      return types_compatible(*variable_type.of, location_type);
    }
    if (location_type.list()) {
      return variable_type.list() && types_compatible(*variable_type.of, *location_type.of);
    }
    if (variable_type.list()) {
      return false;
    }
    return variable_type.named == location_type.named;
  }

  // ---- Limits ----

  void check_limits(const OperationDefinition& operation) {
    const Totals totals = set_totals(operation.selection_set);
    if (totals.depth > limits_.max_depth) {
      error("The operation is nested deeper than the maximum depth of " +
                std::to_string(limits_.max_depth) + ".",
            {operation.location});
    }
    if (totals.aliases > limits_.max_aliases) {
      error("The operation uses more than " + std::to_string(limits_.max_aliases) + " aliases.",
            {operation.location});
    }
    if (totals.fields > limits_.max_fields) {
      error("The operation selects more than " + std::to_string(limits_.max_fields) + " fields.",
            {operation.location});
    }
  }

  // Totals with fragments expanded; each fragment's are computed once and remembered, so a
  // fragment spread a thousand times costs one lookup each time, and every counter stops growing
  // just past its limit.
  Totals set_totals(const SelectionSet& set) {
    const std::size_t depth_cap = limits_.max_depth + 1;
    const std::size_t field_cap = limits_.max_fields + 1;
    const std::size_t alias_cap = limits_.max_aliases + 1;
    Totals totals;
    for (const Selection& selection : set.selections) {
      Totals part;
      if (const auto* field = std::get_if<Field>(&selection)) {
        if (field->selection_set) {
          part = set_totals(*field->selection_set);
        }
        part.depth = std::min(part.depth + 1, depth_cap);
        part.fields = capped_sum(part.fields, 1, field_cap);
        part.aliases = capped_sum(part.aliases, field->alias ? 1 : 0, alias_cap);
      } else if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
        part = fragment_totals(spread->name);
      } else {
        part = set_totals(std::get<InlineFragment>(selection).selection_set);
      }
      totals.depth = std::max(totals.depth, part.depth);
      totals.fields = capped_sum(totals.fields, part.fields, field_cap);
      totals.aliases = capped_sum(totals.aliases, part.aliases, alias_cap);
      if (totals.depth >= depth_cap && totals.fields >= field_cap && totals.aliases >= alias_cap) {
        break;
      }
    }
    return totals;
  }

  Totals fragment_totals(const std::string& name) {
    const auto known = fragment_totals_.find(name);
    if (known != fragment_totals_.end()) {
      return known->second;
    }
    const Totals totals = set_totals(fragments_.at(name)->selection_set);
    fragment_totals_.emplace(name, totals);
    return totals;
  }

  // ---- Field merging (§5.3.2) ----

  // With object types only, every field that shares a response key in one selection set is on
  // the same parent type, so fields merge exactly when they name the same field with the same
  // arguments, and their own selections merge in turn.
  void check_merging(const std::vector<const SelectionSet*>& sets, const TypeDefinition& parent,
                     const std::string& outer) {
    std::vector<std::pair<std::string_view, std::vector<const Field*>>> groups;
    std::map<std::string_view, std::size_t> group_of;
    for (const SelectionSet* set : sets) {
      gather_fields(*set, groups, group_of);
    }
    for (const auto& [key, fields] : groups) {
      const Field& first = *fields.front();
      for (std::size_t i = 1; i < fields.size(); ++i) {
        std::string reason;
        if (fields[i]->name != first.name) {
          reason = quote(first.name) + " and " + quote(fields[i]->name) + " are different fields";
        } else if (!same_arguments(first, *fields[i])) {
          reason = "they have differing arguments";
        }
        if (!reason.empty()) {
          error(outer + (outer.empty() ? "Fields " : "subfields ") + quote(key) +
                    " conflict because " + reason +
                    ". Use different aliases on the fields to fetch both if this was intentional.",
                {first.location, fields[i]->location});
          return;
        }
      }
      const OutputFieldDefinition* definition = schema_.find_field(parent, first.name);
      if (definition == nullptr || !definition->type.base().is_composite()) {
        continue;
      }
      std::vector<const SelectionSet*> subsets;
      for (const Field* field : fields) {
        if (field->selection_set) {
          subsets.push_back(&*field->selection_set);
        }
      }
      check_merging(
          subsets, definition->type.base(),
          outer + (outer.empty() ? "Fields " : "subfields ") + quote(key) + " conflict because ");
    }
  }

  void gather_fields(const SelectionSet& set,
                     std::vector<std::pair<std::string_view, std::vector<const Field*>>>& groups,
                     std::map<std::string_view, std::size_t>& group_of) {
    for (const Selection& selection : set.selections) {
      if (const auto* field = std::get_if<Field>(&selection)) {
        const auto [it, inserted] = group_of.emplace(field->response_key(), groups.size());
        if (inserted) {
          groups.emplace_back(field->response_key(), std::vector<const Field*>{});
        }
        groups[it->second].second.push_back(field);
      } else if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
        gather_fields(fragments_.at(spread->name)->selection_set, groups, group_of);
      } else {
        gather_fields(std::get<InlineFragment>(selection).selection_set, groups, group_of);
      }
    }
  }

  static bool same_arguments(const Field& a, const Field& b) {
    if (a.arguments.size() != b.arguments.size()) {
      return false;
    }
    for (const Argument& argument : a.arguments) {
      const auto match =
          std::find_if(b.arguments.begin(), b.arguments.end(), [&](const Argument& other) {
            return other.name == argument.name && equivalent(other.value, argument.value);
          });
      if (match == b.arguments.end()) {
        return false;
      }
    }
    return true;
  }

  const Schema::Impl& schema_;
  const Document& document_;
  const RequestLimits& limits_;
  std::vector<GraphQLError> errors_;
  std::map<std::string_view, const FragmentDefinition*> fragments_;
  std::map<const OperationDefinition*, DefinitionFacts> operation_facts_;
  std::map<std::string, DefinitionFacts, std::less<>> fragment_facts_;
  std::map<std::string, Totals, std::less<>> fragment_totals_;
  std::vector<std::pair<std::string_view, SourceLocation>> spread_path_;
  bool cyclic_ = false;
};

}  // namespace

std::vector<GraphQLError> validate(const Schema::Impl& schema, const Document& document,
                                   const RequestLimits& limits) {
  return Validator(schema, document, limits).run();
}

}  // namespace choreo::graphql
