#include "graphql/validation.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
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

// The reference implementation (graphql-js) runs every rule in one traversal of the document and
// reports each error as its rule meets it, so clients (and the conformance suite) see errors in
// that order. Each error here records where that traversal would have reported it, and run()
// sorts by it. The rules, in graphql-js's order:
enum class Rule {
  kExecutableDefinitions,
  kUniqueOperationNames,
  kLoneAnonymousOperation,
  kSingleFieldSubscriptions,
  kKnownTypeNames,
  kFragmentsOnCompositeTypes,
  kVariablesAreInputTypes,
  kScalarLeafs,
  kFieldsOnCorrectType,
  kUniqueFragmentNames,
  kKnownFragmentNames,
  kNoUnusedFragments,
  kPossibleFragmentSpreads,
  kNoFragmentCycles,
  kUniqueVariableNames,
  kNoUndefinedVariables,
  kNoUnusedVariables,
  kKnownDirectives,
  kUniqueDirectivesPerLocation,
  kKnownArgumentNames,
  kUniqueArgumentNames,
  kValuesOfCorrectType,
  kProvidedRequiredArguments,
  kVariablesInAllowedPosition,
  kOverlappingFieldsCanBeMerged,
  kUniqueInputFieldNames,
};

// A moment of that traversal: entering (or leaving) the node at `at` of definition `definition`
// (0 is the document's start, definitions count from 1, and one past the last is its end).
// Nodes that start at the same place are entered parent first and left child first.
struct Moment {
  std::size_t definition = 0;
  SourceLocation at{};
  bool leaving = false;
  int depth = 0;
  Rule rule = Rule::kExecutableDefinitions;

  auto key() const {
    return std::make_tuple(definition, at.line, at.column, leaving, leaving ? -depth : depth,
                           static_cast<int>(rule));
  }
};

constexpr SourceLocation kEnd{UINT32_MAX, UINT32_MAX};

bool before(SourceLocation a, SourceLocation b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

// Where the last node inside each construct starts: leaving a field happens after everything in it.
SourceLocation end_of(const Value& value) {
  if (const auto* list = std::get_if<ListValue>(&value.kind); list && !list->values.empty()) {
    return end_of(list->values.back());
  }
  if (const auto* object = std::get_if<ObjectValue>(&value.kind);
      object && !object->fields.empty()) {
    return end_of(object->fields.back().value);
  }
  return value.location;
}

SourceLocation end_of(const Directive& directive) {
  return directive.arguments.empty() ? directive.location
                                     : end_of(directive.arguments.back().value);
}

SourceLocation end_of(const Selection& selection);

SourceLocation end_of(const SelectionSet& set) {
  return set.selections.empty() ? set.location : end_of(set.selections.back());
}

SourceLocation end_of(const Field& field) {
  if (field.selection_set) {
    return end_of(*field.selection_set);
  }
  if (!field.directives.empty()) {
    return end_of(field.directives.back());
  }
  if (!field.arguments.empty()) {
    return end_of(field.arguments.back().value);
  }
  return field.location;
}

SourceLocation end_of(const Selection& selection) {
  if (const auto* field = std::get_if<Field>(&selection)) {
    return end_of(*field);
  }
  if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
    return spread->directives.empty() ? spread->name_location : end_of(spread->directives.back());
  }
  return end_of(std::get<InlineFragment>(selection).selection_set);
}

// The names of the fragments spread in a selection set, at any depth, in the order graphql-js
// lists them (it walks nested selection sets last in, first out).
std::vector<const FragmentSpread*> spreads_in(const SelectionSet& root) {
  std::vector<const FragmentSpread*> spreads;
  std::vector<const SelectionSet*> pending{&root};
  while (!pending.empty()) {
    const SelectionSet* set = pending.back();
    pending.pop_back();
    for (const Selection& selection : set->selections) {
      if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
        spreads.push_back(spread);
      } else if (const auto* field = std::get_if<Field>(&selection)) {
        if (field->selection_set) {
          pending.push_back(&*field->selection_set);
        }
      } else {
        pending.push_back(&std::get<InlineFragment>(selection).selection_set);
      }
    }
  }
  return spreads;
}

// Whether a constant @skip/@include leaves a selection out (one with a variable keeps it).
bool excluded_by_literal_directives(const std::vector<Directive>& directives) {
  for (const Directive& directive : directives) {
    if (directive.name != "skip" && directive.name != "include") {
      continue;
    }
    for (const Argument& argument : directive.arguments) {
      const auto* flag = std::get_if<BooleanValue>(&argument.value.kind);
      if (argument.name == "if" && flag != nullptr && flag->value == (directive.name == "skip")) {
        return true;
      }
    }
  }
  return false;
}

// One side of a field-merging conflict (§5.3.2): the fields involved and why they conflict.
struct Conflict {
  std::string key;
  std::string reason;  // empty when the conflict is in `subconflicts`
  std::vector<Conflict> subconflicts;
  std::vector<SourceLocation> fields1;
  std::vector<SourceLocation> fields2;
};

std::string conflict_reason(const Conflict& conflict) {
  if (conflict.subconflicts.empty()) {
    return conflict.reason;
  }
  std::string text;
  for (const Conflict& sub : conflict.subconflicts) {
    text += (text.empty() ? "" : " and ") + std::string("subfields ") + quote(sub.key) +
            " conflict because " + conflict_reason(sub);
  }
  return text;
}

// A field as field merging sees it: with the type it was selected on and its definition there.
struct FieldInContext {
  const TypeDefinition* parent;
  const Field* field;
  const OutputFieldDefinition* definition;
};

// The fields of a selection set by response key (in order of first appearance) with inline
// fragments expanded, and the fragments it spreads (each once, in order).
struct FieldsAndFragments {
  std::vector<std::pair<std::string_view, std::vector<FieldInContext>>> fields;
  std::vector<std::string_view> fragments;
};

class Validator {
 public:
  Validator(const Schema::Impl& schema, const Document& document, const RequestLimits& limits)
      : schema_(schema), document_(document), limits_(limits) {}

  std::vector<GraphQLError> run() {
    // The reference implementation reports these first (on entering the document). The other
    // rules were written for executable definitions, so a document that has others gets only
    // these errors.
    if (!check_executable_definitions() || !check_operation_count()) {
      return take_errors();
    }
    for (const Definition& definition : document_.definitions) {
      if (const auto* fragment = std::get_if<FragmentDefinition>(&definition)) {
        fragments_[fragment->name] = fragment;  // graphql-js: the last definition wins
      }
    }
    // The limits first, so that no rule ever works on an oversized operation.
    for (const Definition& definition : document_.definitions) {
      if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        check_limits(*operation);
      }
    }
    if (!errors_.empty()) {
      return take_errors();
    }
    check_fragment_cycles_first();
    std::map<std::string_view, const FragmentDefinition*> seen_fragments;
    std::map<std::string_view, const OperationDefinition*> seen_operations;
    for (const Definition& definition : document_.definitions) {
      ++definition_;
      if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        if (operation->name) {
          const auto [it, inserted] = seen_operations.emplace(*operation->name, operation);
          if (!inserted) {
            error("There can be only one operation named " + quote(*operation->name) + ".",
                  {it->second->name_location, operation->name_location},
                  Rule::kUniqueOperationNames, operation->location);
          }
        }
        check_operation(*operation);
      } else {
        const auto& fragment = std::get<FragmentDefinition>(definition);
        const auto [it, inserted] = seen_fragments.emplace(fragment.name, &fragment);
        if (!inserted) {
          error("There can be only one fragment named " + quote(fragment.name) + ".",
                {it->second->name_location, fragment.name_location}, Rule::kUniqueFragmentNames,
                fragment.location);
        }
        check_fragment(fragment);
      }
    }
    definition_ = 0;
    for (const Definition& definition : document_.definitions) {
      ++definition_;
      if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        check_operation_variables(*operation);
      }
    }
    ++definition_;
    check_unused_fragments();
    return take_errors();
  }

 private:
  std::vector<GraphQLError> take_errors() {
    std::vector<std::size_t> order(errors_.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
      return moments_[a].key() < moments_[b].key();
    });
    std::vector<GraphQLError> sorted;
    sorted.reserve(order.size());
    for (std::size_t index : order) {
      sorted.push_back(std::move(errors_[index]));
    }
    return sorted;
  }

  // An error that graphql-js's `rule` reports on entering the node at `at` (or on leaving it).
  void error(std::string message, std::vector<SourceLocation> locations, Rule rule,
             SourceLocation at, bool leaving = false) {
    errors_.push_back(
        GraphQLError{std::move(message), std::move(locations), {}, error_code::kValidationFailed});
    moments_.push_back(Moment{definition_, at, leaving, depth_, rule});
  }

  // Nesting below the current definition, which orders nodes that start at the same place.
  class Deeper {
   public:
    explicit Deeper(int& depth) : depth_(depth) { ++depth_; }
    ~Deeper() { --depth_; }
    Deeper(const Deeper&) = delete;
    Deeper& operator=(const Deeper&) = delete;

   private:
    int& depth_;
  };

  // A named type as a document may name it: built-in scalars that nothing in the schema uses
  // are not part of it (graphql-js builds its type map from what the schema references).
  const TypeDefinition* find_type(std::string_view name) const {
    const TypeDefinition* type = schema_.find_type(name);
    if (type != nullptr && type->built_in && type->kind == TypeKind::kScalar &&
        std::find(schema_.listed_types.begin(), schema_.listed_types.end(), type) ==
            schema_.listed_types.end()) {
      return nullptr;
    }
    return type;
  }

  std::optional<TypeRef> resolve(const Type& type) const {
    if (find_type(named_type_name(type)) == nullptr) {
      return std::nullopt;
    }
    return schema_.resolve(type);
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
              error("The schema definition is not executable.", {node.location},
                    Rule::kExecutableDefinitions, {});
            } else if constexpr (!std::is_same_v<Node, OperationDefinition> &&
                                 !std::is_same_v<Node, FragmentDefinition>) {
              error("The " + quote(node.name) + " definition is not executable.", {node.location},
                    Rule::kExecutableDefinitions, {});
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
              {operation->location}, Rule::kExecutableDefinitions, {});
        return false;
      }
    }
    return true;
  }

  void check_operation(const OperationDefinition& operation) {
    DefinitionFacts& facts = operation_facts_[&operation];
    const TypeDefinition* root = schema_.root_type(operation.operation);
    if (!operation.name && document_.definitions.size() > 1) {
      const auto operations = std::count_if(
          document_.definitions.begin(), document_.definitions.end(),
          [](const Definition& d) { return std::holds_alternative<OperationDefinition>(d); });
      if (operations > 1) {
        error("This anonymous operation must be the only defined operation.", {operation.location},
              Rule::kLoneAnonymousOperation, operation.location);
      }
    }
    if (operation.operation == OperationType::kSubscription && root != nullptr) {
      check_subscription_root(operation, *root);
    }
    if (root == nullptr) {
      // graphql-js reports this while validating field selections on the missing root type.
      error("Schema is not configured to execute " +
                std::string(operation_type_name(operation.operation)) + " operation.",
            {operation.location}, Rule::kKnownTypeNames, operation.location);
    }
    check_variable_definitions(operation, facts);
    const DirectiveLocation location =
        operation.operation == OperationType::kQuery      ? DirectiveLocation::kQuery
        : operation.operation == OperationType::kMutation ? DirectiveLocation::kMutation
                                                          : DirectiveLocation::kSubscription;
    check_directives(operation.directives, location, operation.location, facts);
    check_selection_set(operation.selection_set, root, facts);
  }

  // The root fields a subscription would execute (the spec's CollectFields with no variables).
  void collect_root_fields(const SelectionSet& set, const TypeDefinition& root,
                           std::set<std::string_view>& visited,
                           std::vector<std::pair<std::string_view, const Field*>>& fields) {
    for (const Selection& selection : set.selections) {
      if (const auto* field = std::get_if<Field>(&selection)) {
        if (!excluded_by_literal_directives(field->directives)) {
          fields.emplace_back(field->response_key(), field);
        }
      } else if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
        if (excluded_by_literal_directives(spread->directives) ||
            !visited.insert(spread->name).second) {
          continue;
        }
        const auto it = fragments_.find(spread->name);
        if (it != fragments_.end() && it->second->type_condition.name == root.name) {
          collect_root_fields(it->second->selection_set, root, visited, fields);
        }
      } else {
        const auto& inline_fragment = std::get<InlineFragment>(selection);
        if (!excluded_by_literal_directives(inline_fragment.directives) &&
            (!inline_fragment.type_condition ||
             inline_fragment.type_condition->name == root.name)) {
          collect_root_fields(inline_fragment.selection_set, root, visited, fields);
        }
      }
    }
  }

  void check_subscription_root(const OperationDefinition& operation, const TypeDefinition& root) {
    std::set<std::string_view> visited;
    std::vector<std::pair<std::string_view, const Field*>> fields;
    collect_root_fields(operation.selection_set, root, visited, fields);
    std::vector<std::string_view> keys;
    std::vector<const Field*> extra;
    for (const auto& [key, field] : fields) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        keys.push_back(key);
      }
      if (key != keys.front()) {
        extra.push_back(field);
      }
    }
    const std::string subject =
        operation.name ? "Subscription " + quote(*operation.name) : "Anonymous Subscription";
    if (keys.size() > 1) {
      // graphql-js points at the fields of every response key but the first, grouped by key.
      std::vector<SourceLocation> locations;
      for (std::size_t k = 1; k < keys.size(); ++k) {
        for (const auto& [key, field] : fields) {
          if (key == keys[k]) {
            locations.push_back(field->location);
          }
        }
      }
      error(subject + " must select only one top level field.", std::move(locations),
            Rule::kSingleFieldSubscriptions, operation.location);
    }
    for (std::string_view key : keys) {
      std::vector<SourceLocation> locations;
      const Field* first = nullptr;
      for (const auto& [field_key, field] : fields) {
        if (field_key == key) {
          first = first != nullptr ? first : field;
          locations.push_back(field->location);
        }
      }
      if (first != nullptr && first->name.rfind("__", 0) == 0) {
        error(subject + " must not select an introspection top level field.", std::move(locations),
              Rule::kSingleFieldSubscriptions, operation.location);
      }
    }
  }

  void check_variable_definitions(const OperationDefinition& operation, DefinitionFacts& facts) {
    // Duplicates are reported once per name, pointing at every definition of it.
    std::vector<std::pair<std::string_view, std::vector<SourceLocation>>> by_name;
    for (const VariableDefinition& variable : operation.variable_definitions) {
      auto it = std::find_if(by_name.begin(), by_name.end(),
                             [&](const auto& entry) { return entry.first == variable.name; });
      if (it == by_name.end()) {
        by_name.emplace_back(variable.name, std::vector<SourceLocation>{});
        it = std::prev(by_name.end());
      }
      it->second.push_back(variable.name_location);
    }
    for (auto& [name, locations] : by_name) {
      if (locations.size() > 1) {
        error("There can be only one variable named \"$" + std::string(name) + "\".",
              std::move(locations), Rule::kUniqueVariableNames, operation.location);
      }
    }
    for (const VariableDefinition& variable : operation.variable_definitions) {
      const std::optional<TypeRef> type = resolve(variable.type);
      if (!type) {
        const SourceLocation at = named_type_location(variable.type);
        error("Unknown type " + quote(named_type_name(variable.type)) + ".", {at},
              Rule::kKnownTypeNames, at);
      } else if (!is_input_type(*type)) {
        error("Variable \"$" + variable.name + "\" cannot be non-input type " + quote(type->sdl()) +
                  ".",
              {variable.type.location}, Rule::kVariablesAreInputTypes, variable.location);
      } else if (variable.default_value) {
        check_value(*variable.default_value, *type);
      }
      if (variable.default_value) {
        check_unique_input_fields(*variable.default_value);
      }
      Deeper deeper(depth_);
      check_directives(variable.directives, DirectiveLocation::kVariableDefinition,
                       variable.location, facts);
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
    const TypeDefinition* type = find_type(fragment.type_condition.name);
    if (type == nullptr) {
      error("Unknown type " + quote(fragment.type_condition.name) + ".",
            {fragment.type_condition.location}, Rule::kKnownTypeNames,
            fragment.type_condition.location);
    } else if (!type->is_composite()) {
      error("Fragment " + quote(fragment.name) + " cannot condition on non composite type " +
                quote(type->name) + ".",
            {fragment.type_condition.location}, Rule::kFragmentsOnCompositeTypes,
            fragment.location);
      type = nullptr;
    }
    check_directives(fragment.directives, DirectiveLocation::kFragmentDefinition, fragment.location,
                     facts);
    check_selection_set(fragment.selection_set, type, facts);
  }

  // ---- Selections ----

  // `parent` is null when the enclosing field or condition is itself invalid: the walk goes on
  // to find unknown fragments, directives and variables, without type checks.
  void check_selection_set(const SelectionSet& set, const TypeDefinition* parent,
                           DefinitionFacts& facts) {
    Deeper deeper(depth_);
    check_merging(set, parent);
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
    Deeper deeper(depth_);
    const OutputFieldDefinition* definition = nullptr;
    std::optional<TypeRef> field_type;
    if (parent != nullptr) {
      if (field.name == "__typename") {
        field_type = typename_type();
      } else {
        definition = schema_.find_field(*parent, field.name);
        if (definition == nullptr) {
          error("Cannot query field " + quote(field.name) + " on type " + quote(parent->name) + ".",
                {field.location}, Rule::kFieldsOnCorrectType, field.location);
        } else {
          field_type = definition->type;
        }
      }
    }
    const TypeDefinition* base = field_type ? &field_type->base() : nullptr;
    if (base != nullptr && base->is_leaf() && field.selection_set) {
      error("Field " + quote(field.name) + " must not have a selection since type " +
                quote(field_type->sdl()) + " has no subfields.",
            {field.selection_set->location}, Rule::kScalarLeafs, field.location);
    } else if (base != nullptr && !base->is_leaf() && !field.selection_set) {
      error("Field " + quote(field.name) + " of type " + quote(field_type->sdl()) +
                " must have a selection of subfields. Did you mean \"" + field.name + " { ... }\"?",
            {field.location}, Rule::kScalarLeafs, field.location);
    }
    static const std::vector<InputValueDefinition> kNoArguments;
    check_unique_arguments(field.arguments, field.location);
    check_arguments(field.arguments,
                    definition != nullptr ? &definition->arguments
                    : field_type          ? &kNoArguments
                                          : nullptr,
                    parent != nullptr ? "field " + quote(parent->name + "." + field.name) : "",
                    facts);
    check_directives(field.directives, DirectiveLocation::kField, field.location, facts);
    if (field.selection_set) {
      check_selection_set(*field.selection_set,
                          base != nullptr && base->is_composite() ? base : nullptr, facts);
    }
    if (definition != nullptr) {
      check_required_arguments(field.arguments, definition->arguments, "Field " + quote(field.name),
                               field.location, end_of(field));
    }
  }

  TypeRef typename_type() const {
    return TypeRef{TypeRef::Kind::kNonNull, nullptr,
                   std::make_shared<const TypeRef>(
                       TypeRef{TypeRef::Kind::kNamed, schema_.find_type("String"), {}})};
  }

  void check_spread(const FragmentSpread& spread, const TypeDefinition* parent,
                    DefinitionFacts& facts) {
    Deeper deeper(depth_);
    const auto it = fragments_.find(spread.name);
    if (it == fragments_.end()) {
      error("Unknown fragment " + quote(spread.name) + ".", {spread.name_location},
            Rule::kKnownFragmentNames, spread.location);
    } else {
      const TypeDefinition* condition = find_type(it->second->type_condition.name);
      if (parent != nullptr && condition != nullptr && condition->is_composite() &&
          condition != parent) {
        error("Fragment " + quote(spread.name) + " cannot be spread here as objects of type " +
                  quote(parent->name) + " can never be of type " + quote(condition->name) + ".",
              {spread.location}, Rule::kPossibleFragmentSpreads, spread.location);
      }
    }
    check_directives(spread.directives, DirectiveLocation::kFragmentSpread, spread.location, facts);
  }

  void check_inline_fragment(const InlineFragment& fragment, const TypeDefinition* parent,
                             DefinitionFacts& facts) {
    Deeper deeper(depth_);
    const TypeDefinition* type = parent;
    if (fragment.type_condition) {
      type = find_type(fragment.type_condition->name);
      if (type == nullptr) {
        error("Unknown type " + quote(fragment.type_condition->name) + ".",
              {fragment.type_condition->location}, Rule::kKnownTypeNames,
              fragment.type_condition->location);
      } else if (!type->is_composite()) {
        error("Fragment cannot condition on non composite type " + quote(type->name) + ".",
              {fragment.type_condition->location}, Rule::kFragmentsOnCompositeTypes,
              fragment.location);
        type = nullptr;
      } else if (parent != nullptr && type != parent) {
        error("Fragment cannot be spread here as objects of type " + quote(parent->name) +
                  " can never be of type " + quote(type->name) + ".",
              {fragment.location}, Rule::kPossibleFragmentSpreads, fragment.location);
      }
    }
    check_directives(fragment.directives, DirectiveLocation::kInlineFragment, fragment.location,
                     facts);
    check_selection_set(fragment.selection_set, type, facts);
  }

  // ---- Arguments, directives and values ----

  // Repeated argument names, once per name with every occurrence (reported on entering the
  // field or directive at `at`).
  void check_unique_arguments(const std::vector<Argument>& arguments, SourceLocation at) {
    std::vector<std::pair<std::string_view, std::vector<SourceLocation>>> by_name;
    for (const Argument& argument : arguments) {
      auto it = std::find_if(by_name.begin(), by_name.end(),
                             [&](const auto& entry) { return entry.first == argument.name; });
      if (it == by_name.end()) {
        by_name.emplace_back(argument.name, std::vector<SourceLocation>{});
        it = std::prev(by_name.end());
      }
      it->second.push_back(argument.location);
    }
    for (auto& [name, locations] : by_name) {
      if (locations.size() > 1) {
        error("There can be only one argument named " + quote(name) + ".", std::move(locations),
              Rule::kUniqueArgumentNames, at);
      }
    }
  }

  // `definitions` is null when the field itself is unknown (its arguments are then not
  // checked); `owner` names the field in messages: `field "Query.order"`.
  void check_arguments(const std::vector<Argument>& arguments,
                       const std::vector<InputValueDefinition>* definitions,
                       const std::string& owner, DefinitionFacts& facts) {
    for (const Argument& argument : arguments) {
      const InputValueDefinition* definition = nullptr;
      if (definitions != nullptr) {
        for (const InputValueDefinition& candidate : *definitions) {
          if (candidate.name == argument.name) {
            definition = &candidate;
          }
        }
        if (definition == nullptr && !owner.empty()) {
          error("Unknown argument " + quote(argument.name) + " on " + owner + ".",
                {argument.location}, Rule::kKnownArgumentNames, argument.location);
        }
      }
      if (definition != nullptr) {
        check_value(argument.value, definition->type);
      }
      check_unique_input_fields(argument.value);
      collect_usages(argument.value, definition != nullptr ? &definition->type : nullptr,
                     definition != nullptr && definition->default_value.has_value(), facts);
    }
  }

  // `owner` starts the message: `Field "order"`, `Directive "@include"`. Reported on leaving
  // the node (graphql-js does, so that errors inside it come first): `end` is where it ends.
  void check_required_arguments(const std::vector<Argument>& arguments,
                                const std::vector<InputValueDefinition>& definitions,
                                const std::string& owner, SourceLocation location,
                                SourceLocation end) {
    for (const InputValueDefinition& definition : definitions) {
      if (!definition.type.non_null() || definition.default_value) {
        continue;
      }
      const bool given = std::any_of(arguments.begin(), arguments.end(),
                                     [&](const Argument& a) { return a.name == definition.name; });
      if (!given) {
        error(owner + " argument " + quote(definition.name) + " of type " +
                  quote(definition.type.sdl()) + " is required, but it was not provided.",
              {location}, Rule::kProvidedRequiredArguments, end, true);
      }
    }
  }

  void check_value(const Value& value, const TypeRef& type) {
    std::vector<CoercionIssue> issues;
    std::vector<PathSegment> path;
    coerce_literal(value, type, LiteralScope{nullptr, false}, issues, path);
    for (CoercionIssue& issue : issues) {
      // Its own rule, checked by check_unique_input_fields on every object value.
      if (issue.message.rfind("There can be only one input field named", 0) == 0) {
        continue;
      }
      error(std::move(issue.message), {issue.location}, Rule::kValuesOfCorrectType, issue.location);
    }
  }

  // Every object value, whatever type (if any) it is for, names each field once.
  void check_unique_input_fields(const Value& value) {
    if (const auto* list = std::get_if<ListValue>(&value.kind)) {
      for (const Value& item : list->values) {
        check_unique_input_fields(item);
      }
    } else if (const auto* object = std::get_if<ObjectValue>(&value.kind)) {
      for (std::size_t i = 0; i < object->fields.size(); ++i) {
        const ObjectField& field = object->fields[i];
        for (std::size_t j = 0; j < i; ++j) {
          if (object->fields[j].name == field.name) {
            error("There can be only one input field named " + quote(field.name) + ".",
                  {object->fields[j].location, field.location}, Rule::kUniqueInputFieldNames,
                  field.location);
            break;
          }
        }
        check_unique_input_fields(field.value);
      }
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

  // `owner_at` is where the node carrying the directives starts.
  void check_directives(const std::vector<Directive>& directives, DirectiveLocation location,
                        SourceLocation owner_at, DefinitionFacts& facts) {
    for (std::size_t i = 0; i < directives.size(); ++i) {
      const Directive& directive = directives[i];
      for (std::size_t j = 0; j < i; ++j) {
        if (directives[j].name == directive.name &&
            schema_.find_directive(directive.name) != nullptr) {
          error("The directive \"@" + directive.name + "\" can only be used once at this location.",
                {directives[j].location, directive.location}, Rule::kUniqueDirectivesPerLocation,
                owner_at);
          break;
        }
      }
    }
    for (const Directive& directive : directives) {
      Deeper deeper(depth_);
      const DirectiveDefinition* definition = schema_.find_directive(directive.name);
      if (definition == nullptr) {
        error("Unknown directive \"@" + directive.name + "\".", {directive.location},
              Rule::kKnownDirectives, directive.location);
      } else if (!definition->allowed_at(location)) {
        error("Directive \"@" + directive.name + "\" may not be used on " +
                  std::string(directive_location_name(location)) + ".",
              {directive.location}, Rule::kKnownDirectives, directive.location);
      }
      if (definition != nullptr) {
        for (const Argument& argument : directive.arguments) {
          if (definition->find_argument(argument.name) == nullptr) {
            error("Unknown argument " + quote(argument.name) + " on directive \"@" +
                      directive.name + "\".",
                  {argument.location}, Rule::kKnownArgumentNames, directive.location);
          }
        }
      }
      check_unique_arguments(directive.arguments, directive.location);
      check_arguments(directive.arguments, definition != nullptr ? &definition->arguments : nullptr,
                      "", facts);
      if (definition != nullptr) {
        check_required_arguments(directive.arguments, definition->arguments,
                                 "Directive \"@" + directive.name + "\"", directive.location,
                                 end_of(directive));
      }
    }
  }

  // ---- Fragments ----

  // Reports each cycle once, naming the spreads it goes through (graphql-js's algorithm and
  // wording, reported on entering the fragment where the search started). Every fragment is
  // entered once, so this is linear.
  void check_fragment_cycles_first() {
    std::set<std::string_view> visited;
    std::map<std::string_view, std::size_t> path_index;
    for (const Definition& definition : document_.definitions) {
      ++definition_;
      if (const auto* fragment = std::get_if<FragmentDefinition>(&definition)) {
        cycle_search_start_ = fragment->location;
        detect_cycles(*fragment, visited, path_index);
      }
    }
    definition_ = 0;
  }

  void detect_cycles(const FragmentDefinition& fragment, std::set<std::string_view>& visited,
                     std::map<std::string_view, std::size_t>& path_index) {
    if (!visited.insert(fragment.name).second) {
      return;
    }
    path_index[fragment.name] = spread_path_.size();
    for (const FragmentSpread* spread : spreads_in(fragment.selection_set)) {
      spread_path_.push_back(spread);
      const auto cycle = path_index.find(spread->name);
      if (cycle == path_index.end()) {
        const auto target = fragments_.find(spread->name);
        if (target != fragments_.end()) {
          detect_cycles(*target->second, visited, path_index);
        }
      } else {
        cyclic_ = true;
        std::string via;
        std::vector<SourceLocation> locations;
        for (std::size_t j = cycle->second; j < spread_path_.size(); ++j) {
          locations.push_back(spread_path_[j]->location);
          if (j + 1 < spread_path_.size()) {
            via += (via.empty() ? "" : ", ") + quote(spread_path_[j]->name);
          }
        }
        error("Cannot spread fragment " + quote(spread->name) + " within itself" +
                  (via.empty() ? std::string(".") : " via " + via + "."),
              std::move(locations), Rule::kNoFragmentCycles, cycle_search_start_);
      }
      spread_path_.pop_back();
    }
    path_index.erase(fragment.name);
  }

  // The fragments an operation reaches, directly or through other fragments, in graphql-js's
  // order (which decides the order of the variable errors).
  std::vector<const FragmentDefinition*> reachable_fragments(const SelectionSet& root) const {
    std::vector<const FragmentDefinition*> reached;
    std::set<std::string_view> seen;
    std::vector<const SelectionSet*> pending{&root};
    while (!pending.empty()) {
      const SelectionSet* set = pending.back();
      pending.pop_back();
      for (const FragmentSpread* spread : spreads_in(*set)) {
        if (!seen.insert(spread->name).second) {
          continue;
        }
        const auto it = fragments_.find(spread->name);
        if (it != fragments_.end()) {
          reached.push_back(it->second);
          pending.push_back(&it->second->selection_set);
        }
      }
    }
    return reached;
  }

  void check_unused_fragments() {
    std::set<std::string_view> used;
    for (const Definition& definition : document_.definitions) {
      if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        for (const FragmentDefinition* fragment : reachable_fragments(operation->selection_set)) {
          used.insert(fragment->name);
        }
      }
    }
    for (const Definition& definition : document_.definitions) {
      const auto* fragment = std::get_if<FragmentDefinition>(&definition);
      if (fragment != nullptr && !used.count(fragment->name)) {
        error("Fragment " + quote(fragment->name) + " is never used.", {fragment->location},
              Rule::kNoUnusedFragments, kEnd, true);
      }
    }
  }

  // ---- Variables of an operation (reported on leaving it) ----

  static std::vector<const VariableUsage*> in_document_order(const DefinitionFacts& facts) {
    std::vector<const VariableUsage*> usages;
    for (const VariableUsage& usage : facts.variable_usages) {
      usages.push_back(&usage);
    }
    std::stable_sort(usages.begin(), usages.end(),
                     [](const VariableUsage* a, const VariableUsage* b) {
                       return before(a->location, b->location);
                     });
    return usages;
  }

  void check_operation_variables(const OperationDefinition& operation) {
    std::vector<const VariableUsage*> usages = in_document_order(operation_facts_[&operation]);
    for (const FragmentDefinition* fragment : reachable_fragments(operation.selection_set)) {
      for (const VariableUsage* usage : in_document_order(fragment_facts_[fragment->name])) {
        usages.push_back(usage);
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
              {usage->location, operation.location}, Rule::kNoUndefinedVariables, kEnd, true);
        continue;
      }
      const std::optional<TypeRef> type = resolve(definition->type);
      if (!type || !usage->expected || !is_input_type(*type)) {
        continue;
      }
      const bool has_default = definition->default_value.has_value() &&
                               !std::holds_alternative<NullValue>(definition->default_value->kind);
      if (!usage_allowed(*type, has_default, *usage->expected, usage->position_has_default)) {
        error("Variable \"$" + usage->name + "\" of type " + quote(type->sdl()) +
                  " used in position expecting type " + quote(usage->expected->sdl()) + ".",
              {definition->location, usage->location}, Rule::kVariablesInAllowedPosition, kEnd,
              true);
      }
    }
    for (const VariableDefinition& definition : operation.variable_definitions) {
      if (!used.count(definition.name)) {
        error("Variable \"$" + definition.name + "\" is never used" +
                  (operation.name ? " in operation " + quote(*operation.name) : std::string()) +
                  ".",
              {definition.location}, Rule::kNoUnusedVariables, kEnd, true);
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
            {operation.location}, Rule::kExecutableDefinitions, {});
    }
    if (totals.aliases > limits_.max_aliases) {
      error("The operation uses more than " + std::to_string(limits_.max_aliases) + " aliases.",
            {operation.location}, Rule::kExecutableDefinitions, {});
    }
    if (totals.fields > limits_.max_fields) {
      error("The operation selects more than " + std::to_string(limits_.max_fields) + " fields.",
            {operation.location}, Rule::kExecutableDefinitions, {});
    }
  }

  bool within_limits(const Totals& totals) const {
    return totals.depth <= limits_.max_depth && totals.aliases <= limits_.max_aliases &&
           totals.fields <= limits_.max_fields;
  }

  // Totals with fragments expanded; each fragment's are computed once and remembered, so a
  // fragment spread a thousand times costs one lookup each time, and every counter stops growing
  // just past its limit. Unknown fragments count for nothing, and so does a spread that closes a
  // cycle (the rules report both).
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

  Totals fragment_totals(std::string_view name) {
    const auto known = fragment_totals_.find(name);
    if (known != fragment_totals_.end()) {
      return known->second;
    }
    const auto fragment = fragments_.find(name);
    if (fragment == fragments_.end()) {
      return {};
    }
    fragment_totals_.emplace(std::string(name), Totals{});  // in progress: a cycle adds nothing
    const Totals totals = set_totals(fragment->second->selection_set);
    fragment_totals_[std::string(name)] = totals;
    return totals;
  }

  // ---- Field merging (§5.3.2), graphql-js's algorithm ----

  // Run on entering every selection set. Skipped in documents with fragment cycles (reported
  // anyway) and inside fragments too big to be spread anywhere, so the work stays bounded by the
  // limits.
  void check_merging(const SelectionSet& set, const TypeDefinition* parent) {
    if (cyclic_ || !merging_allowed()) {
      return;
    }
    std::vector<Conflict> conflicts;
    conflicts_within(set, parent, conflicts);
    for (const Conflict& conflict : conflicts) {
      std::vector<SourceLocation> locations = conflict.fields1;
      locations.insert(locations.end(), conflict.fields2.begin(), conflict.fields2.end());
      error("Fields " + quote(conflict.key) + " conflict because " + conflict_reason(conflict) +
                ". Use different aliases on the fields to fetch both if this was intentional.",
            std::move(locations), Rule::kOverlappingFieldsCanBeMerged, set.location);
    }
  }

  bool merging_allowed() {
    const Definition& definition = document_.definitions[definition_ - 1];
    if (const auto* fragment = std::get_if<FragmentDefinition>(&definition)) {
      return within_limits(fragment_totals(fragment->name));
    }
    return true;  // operations passed check_limits
  }

  const FieldsAndFragments& fields_of(const SelectionSet& set, const TypeDefinition* parent) {
    const auto known = fields_cache_.find(&set);
    if (known != fields_cache_.end()) {
      return known->second;
    }
    FieldsAndFragments result;
    gather(set, parent, result);
    return fields_cache_.emplace(&set, std::move(result)).first->second;
  }

  void gather(const SelectionSet& set, const TypeDefinition* parent, FieldsAndFragments& result) {
    for (const Selection& selection : set.selections) {
      if (const auto* field = std::get_if<Field>(&selection)) {
        const std::string_view key = field->response_key();
        auto it = std::find_if(result.fields.begin(), result.fields.end(),
                               [&](const auto& entry) { return entry.first == key; });
        if (it == result.fields.end()) {
          result.fields.emplace_back(key, std::vector<FieldInContext>{});
          it = std::prev(result.fields.end());
        }
        const OutputFieldDefinition* definition =
            parent != nullptr && parent->is_composite() && field->name != "__typename"
                ? schema_.find_field(*parent, field->name)
                : nullptr;
        it->second.push_back(FieldInContext{parent, field, definition});
      } else if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
        if (std::find(result.fragments.begin(), result.fragments.end(), spread->name) ==
            result.fragments.end()) {
          result.fragments.push_back(spread->name);
        }
      } else {
        const auto& inline_fragment = std::get<InlineFragment>(selection);
        const TypeDefinition* type = inline_fragment.type_condition
                                         ? find_type(inline_fragment.type_condition->name)
                                         : parent;
        gather(inline_fragment.selection_set, type, result);
      }
    }
  }

  const FieldsAndFragments* fragment_fields(std::string_view name) {
    const auto it = fragments_.find(name);
    if (it == fragments_.end()) {
      return nullptr;
    }
    return &fields_of(it->second->selection_set, find_type(it->second->type_condition.name));
  }

  void conflicts_within(const SelectionSet& set, const TypeDefinition* parent,
                        std::vector<Conflict>& conflicts) {
    const FieldsAndFragments& mine = fields_of(set, parent);
    for (const auto& [key, fields] : mine.fields) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        for (std::size_t j = i + 1; j < fields.size(); ++j) {
          if (auto conflict = find_conflict(false, key, fields[i], fields[j], 0)) {
            conflicts.push_back(std::move(*conflict));
          }
        }
      }
    }
    for (std::size_t i = 0; i < mine.fragments.size(); ++i) {
      conflicts_with_fragment(conflicts, false, mine, mine.fragments[i], 0);
      for (std::size_t j = i + 1; j < mine.fragments.size(); ++j) {
        conflicts_between_fragments(conflicts, false, mine.fragments[i], mine.fragments[j], 0);
      }
    }
  }

  bool compared(std::string_view a, std::string_view b, bool exclusive) {
    const auto key = a < b ? std::make_pair(a, b) : std::make_pair(b, a);
    const auto it = compared_pairs_.find(key);
    if (it != compared_pairs_.end() && (exclusive || !it->second)) {
      return true;
    }
    compared_pairs_[key] = exclusive;
    return false;
  }

  void conflicts_with_fragment(std::vector<Conflict>& conflicts, bool exclusive,
                               const FieldsAndFragments& fields, std::string_view fragment,
                               std::size_t level) {
    const FieldsAndFragments* theirs = fragment_fields(fragment);
    if (theirs == nullptr || theirs == &fields) {
      return;
    }
    conflicts_between(conflicts, exclusive, fields, *theirs, level);
    for (std::string_view referenced : theirs->fragments) {
      if (compared(referenced, fragment, exclusive)) {
        continue;
      }
      conflicts_with_fragment(conflicts, exclusive, fields, referenced, level);
    }
  }

  void conflicts_between_fragments(std::vector<Conflict>& conflicts, bool exclusive,
                                   std::string_view first, std::string_view second,
                                   std::size_t level) {
    if (first == second || compared(first, second, exclusive)) {
      return;
    }
    const FieldsAndFragments* fields1 = fragment_fields(first);
    const FieldsAndFragments* fields2 = fragment_fields(second);
    if (fields1 == nullptr || fields2 == nullptr) {
      return;
    }
    conflicts_between(conflicts, exclusive, *fields1, *fields2, level);
    for (std::string_view referenced : fields2->fragments) {
      conflicts_between_fragments(conflicts, exclusive, first, referenced, level);
    }
    for (std::string_view referenced : fields1->fragments) {
      conflicts_between_fragments(conflicts, exclusive, referenced, second, level);
    }
  }

  void conflicts_between(std::vector<Conflict>& conflicts, bool exclusive,
                         const FieldsAndFragments& first, const FieldsAndFragments& second,
                         std::size_t level) {
    for (const auto& [key, fields1] : first.fields) {
      const auto match =
          std::find_if(second.fields.begin(), second.fields.end(),
                       // Captured by name: clang 14 (the fuzz build) cannot
                       // capture a structured binding.
                       [&key = key](const auto& entry) { return entry.first == key; });
      if (match == second.fields.end()) {
        continue;
      }
      for (const FieldInContext& field1 : fields1) {
        for (const FieldInContext& field2 : match->second) {
          if (auto conflict = find_conflict(exclusive, key, field1, field2, level)) {
            conflicts.push_back(std::move(*conflict));
          }
        }
      }
    }
  }

  std::optional<Conflict> find_conflict(bool parents_exclusive, std::string_view key,
                                        const FieldInContext& first, const FieldInContext& second,
                                        std::size_t level) {
    const bool exclusive =
        parents_exclusive ||
        (first.parent != second.parent && first.parent != nullptr && second.parent != nullptr &&
         first.parent->is_composite() && second.parent->is_composite());
    const Field& field1 = *first.field;
    const Field& field2 = *second.field;
    auto conflict = [&](std::string reason) {
      return Conflict{
          std::string(key), std::move(reason), {}, {field1.location}, {field2.location}};
    };
    if (!exclusive) {
      if (field1.name != field2.name) {
        return conflict(quote(field1.name) + " and " + quote(field2.name) +
                        " are different fields");
      }
      if (!same_arguments(field1, field2)) {
        return conflict("they have differing arguments");
      }
    }
    const TypeRef* type1 = first.definition != nullptr ? &first.definition->type : nullptr;
    const TypeRef* type2 = second.definition != nullptr ? &second.definition->type : nullptr;
    if (type1 != nullptr && type2 != nullptr && types_conflict(*type1, *type2)) {
      return conflict("they return conflicting types " + quote(type1->sdl()) + " and " +
                      quote(type2->sdl()));
    }
    // A bound on the recursion for documents that reach here deeper than the limits allow.
    if (!field1.selection_set || !field2.selection_set || level > limits_.max_depth) {
      return std::nullopt;
    }
    const FieldsAndFragments& sub1 =
        fields_of(*field1.selection_set, type1 != nullptr ? &type1->base() : nullptr);
    const FieldsAndFragments& sub2 =
        fields_of(*field2.selection_set, type2 != nullptr ? &type2->base() : nullptr);
    std::vector<Conflict> subconflicts;
    conflicts_between(subconflicts, exclusive, sub1, sub2, level + 1);
    for (std::string_view fragment : sub2.fragments) {
      conflicts_with_fragment(subconflicts, exclusive, sub1, fragment, level + 1);
    }
    for (std::string_view fragment : sub1.fragments) {
      conflicts_with_fragment(subconflicts, exclusive, sub2, fragment, level + 1);
    }
    for (std::string_view fragment1 : sub1.fragments) {
      for (std::string_view fragment2 : sub2.fragments) {
        conflicts_between_fragments(subconflicts, exclusive, fragment1, fragment2, level + 1);
      }
    }
    if (subconflicts.empty()) {
      return std::nullopt;
    }
    Conflict result{std::string(key), {}, {}, {field1.location}, {field2.location}};
    for (Conflict& sub : subconflicts) {
      result.fields1.insert(result.fields1.end(), sub.fields1.begin(), sub.fields1.end());
      result.fields2.insert(result.fields2.end(), sub.fields2.begin(), sub.fields2.end());
      result.subconflicts.push_back(std::move(sub));
    }
    return result;
  }

  // Whether two field types could not both describe one value (graphql-js's doTypesConflict).
  static bool types_conflict(const TypeRef& a, const TypeRef& b) {
    if (a.list() || b.list()) {
      return !(a.list() && b.list()) || types_conflict(*a.of, *b.of);
    }
    if (a.non_null() || b.non_null()) {
      return !(a.non_null() && b.non_null()) || types_conflict(*a.of, *b.of);
    }
    if (a.named->is_leaf() || b.named->is_leaf()) {
      return a.named != b.named;
    }
    return false;
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
  std::vector<Moment> moments_;  // where each of errors_ would have been reported
  std::size_t definition_ = 0;   // 1 + the index of the definition being checked
  int depth_ = 0;
  std::map<std::string_view, const FragmentDefinition*> fragments_;
  std::map<const OperationDefinition*, DefinitionFacts> operation_facts_;
  std::map<std::string, DefinitionFacts, std::less<>> fragment_facts_;
  std::map<std::string, Totals, std::less<>> fragment_totals_;
  std::map<const SelectionSet*, FieldsAndFragments> fields_cache_;
  std::map<std::pair<std::string_view, std::string_view>, bool> compared_pairs_;
  std::vector<const FragmentSpread*> spread_path_;
  SourceLocation cycle_search_start_{};
  bool cyclic_ = false;
};

}  // namespace

std::vector<GraphQLError> validate(const Schema::Impl& schema, const Document& document,
                                   const RequestLimits& limits) {
  return Validator(schema, document, limits).run();
}

}  // namespace choreo::graphql
