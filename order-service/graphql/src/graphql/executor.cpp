#include "graphql/executor.hpp"

#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "graphql/input_coercion.hpp"
#include "graphql/inspect.hpp"
#include "graphql/schema_impl.hpp"

namespace choreo::graphql {

namespace {

// Fields that share a response key, in the order they were first selected.
using FieldGroups = std::vector<std::pair<std::string, std::vector<const Field*>>>;

// The outcome of completing one position. `failed` means an error was recorded there and the
// value is null: a nullable position keeps the null, a non-null one passes the failure up.
struct Completion {
  ResultValue value;
  bool failed = false;
};

Completion failure() {
  return Completion{ResultValue(), true};
}

// Thrown while coercing a field's arguments; becomes that field's error.
struct ArgumentFailure {
  std::string message;
  SourceLocation location;
};

class Executor {
 public:
  Executor(const Schema::Impl& schema, const PreparedOperation& operation,
           const ExecutionOptions& options, InputObject variables)
      : schema_(schema),
        options_(options),
        variables_(std::move(variables)),
        request_context_(options.request_context != nullptr ? *options.request_context
                                                            : no_request_context_) {
    for (const Definition& definition : operation.document->definitions) {
      if (const auto* fragment = std::get_if<FragmentDefinition>(&definition)) {
        fragments_.emplace(fragment->name, fragment);
      }
    }
  }

  ExecutionResult run(const OperationDefinition& operation) {
    ExecutionResult result;
    const TypeDefinition* root = schema_.root_type(operation.operation);
    if (root == nullptr) {  // validation prevents it; kept so a misuse cannot crash
      result.errors.push_back(
          GraphQLError{"Schema is not configured to execute " +
                           std::string(operation_type_name(operation.operation)) + " operation.",
                       {operation.location},
                       {},
                       error_code::kValidationFailed});
      return result;
    }
    // Root fields run one after another for every operation type, which is what mutations
    // need and costs queries nothing in a single-threaded executor.
    Completion data = execute_selection(*root, options_.root_value, {&operation.selection_set});
    result.data = std::move(data.value);
    result.errors = std::move(errors_);
    return result;
  }

 private:
  // ---- Field collection (§6.3.2) ----

  FieldGroups collect_fields(const TypeDefinition& type,
                             const std::vector<const SelectionSet*>& sets) {
    FieldGroups groups;
    std::map<std::string_view, std::size_t> group_of;
    std::set<std::string_view> visited_fragments;
    for (const SelectionSet* set : sets) {
      collect(type, *set, groups, group_of, visited_fragments);
    }
    return groups;
  }

  void collect(const TypeDefinition& type, const SelectionSet& set, FieldGroups& groups,
               std::map<std::string_view, std::size_t>& group_of,
               std::set<std::string_view>& visited_fragments) {
    for (const Selection& selection : set.selections) {
      if (const auto* field = std::get_if<Field>(&selection)) {
        if (!included(field->directives)) {
          continue;
        }
        const auto [it, inserted] = group_of.emplace(field->response_key(), groups.size());
        if (inserted) {
          groups.emplace_back(field->response_key(), std::vector<const Field*>{});
        }
        groups[it->second].second.push_back(field);
      } else if (const auto* spread = std::get_if<FragmentSpread>(&selection)) {
        if (!included(spread->directives) || !visited_fragments.insert(spread->name).second) {
          continue;
        }
        const auto fragment = fragments_.find(spread->name);
        if (fragment != fragments_.end() && fragment->second->type_condition.name == type.name) {
          collect(type, fragment->second->selection_set, groups, group_of, visited_fragments);
        }
      } else {
        const auto& inline_fragment = std::get<InlineFragment>(selection);
        if (!included(inline_fragment.directives) ||
            (inline_fragment.type_condition && inline_fragment.type_condition->name != type.name)) {
          continue;
        }
        collect(type, inline_fragment.selection_set, groups, group_of, visited_fragments);
      }
    }
  }

  // @skip(if:) and @include(if:); validation made sure `if` is a Boolean literal or variable.
  bool included(const std::vector<Directive>& directives) const {
    for (const Directive& directive : directives) {
      const bool skip = directive.name == "skip";
      if (!skip && directive.name != "include") {
        continue;
      }
      bool condition = false;
      for (const Argument& argument : directive.arguments) {
        if (argument.name != "if") {
          continue;
        }
        if (const auto* literal = std::get_if<BooleanValue>(&argument.value.kind)) {
          condition = literal->value;
        } else if (const auto* variable = std::get_if<Variable>(&argument.value.kind)) {
          const InputValue* value = variables_.find(variable->name);
          condition = value != nullptr && value->boolean() != nullptr && *value->boolean();
        }
      }
      if (skip == condition) {
        return false;
      }
    }
    return true;
  }

  // ---- Execution (§6.3, §6.4) ----

  Completion execute_selection(const TypeDefinition& type, const std::any& source,
                               const std::vector<const SelectionSet*>& sets) {
    ResultObject object;
    for (const auto& [key, fields] : collect_fields(type, sets)) {
      path_.emplace_back(key);
      const OutputFieldDefinition* definition = schema_.find_field(type, fields.front()->name);
      Completion field = execute_field(type, definition, source, fields);
      path_.pop_back();
      if (field.failed && definition != nullptr && definition->type.non_null()) {
        return failure();
      }
      object.fields.push_back(ResultField{key, std::move(field.value)});
    }
    return Completion{ResultValue(std::move(object)), false};
  }

  Completion execute_field(const TypeDefinition& parent, const OutputFieldDefinition* definition,
                           const std::any& source, const std::vector<const Field*>& fields) {
    const Field& field = *fields.front();
    if (definition == nullptr) {
      if (field.name == "__typename") {
        return Completion{ResultValue(parent.name), false};
      }
      // Validation rejects unknown fields; a document that skipped it gets an error, not a crash.
      internal_error(std::logic_error("no field " + parent.name + "." + field.name), fields);
      return failure();
    }
    ArgumentValues arguments;
    try {
      arguments = coerce_arguments(*definition, field);
    } catch (const ArgumentFailure& failure_) {
      errors_.push_back(
          GraphQLError{failure_.message, {failure_.location}, path_, error_code::kBadUserInput});
      return failure();
    }
    Resolved resolved;
    try {
      const FieldContext context{source, arguments, request_context_, definition->name, path_};
      resolved = definition->resolve(context);
    } catch (const FieldError& error) {
      errors_.push_back(GraphQLError{error.what(), locations(fields), path_, error.code()});
      return failure();
    } catch (const std::exception& error) {
      internal_error(error, fields);
      return failure();
    } catch (...) {
      internal_error(std::runtime_error("a resolver threw something that is not an exception"),
                     fields);
      return failure();
    }
    const FieldInfo info{parent, *definition, fields};
    return complete(definition->type, info, resolved);
  }

  struct FieldInfo {
    const TypeDefinition& parent;
    const OutputFieldDefinition& definition;
    const std::vector<const Field*>& fields;
  };

  Completion complete(const TypeRef& type, const FieldInfo& info, const Resolved& resolved) {
    if (type.non_null()) {
      Completion inner = complete(*type.of, info, resolved);
      if (!inner.failed && inner.value.is_null()) {
        errors_.push_back(GraphQLError{"Cannot return null for non-nullable field " +
                                           info.parent.name + "." + info.definition.name + ".",
                                       locations(info.fields), path_, error_code::kInternal});
        return failure();
      }
      return inner;
    }
    if (resolved.kind() == Resolved::Kind::kNull) {
      return Completion{};
    }
    if (type.list()) {
      return complete_list(*type.of, info, resolved);
    }
    const TypeDefinition& named = *type.named;
    if (named.is_leaf()) {
      return complete_leaf(named, info, resolved);
    }
    if (resolved.kind() != Resolved::Kind::kObject) {
      return mismatch(info, "an object");
    }
    std::vector<const SelectionSet*> sets;
    for (const Field* field : info.fields) {
      if (field->selection_set) {
        sets.push_back(&*field->selection_set);
      }
    }
    return execute_selection(named, resolved.source(), sets);
  }

  Completion complete_list(const TypeRef& item_type, const FieldInfo& info,
                           const Resolved& resolved) {
    if (resolved.kind() != Resolved::Kind::kList) {
      return mismatch(info, "a list");
    }
    ResultList list;
    list.items.reserve(resolved.items().size());
    for (std::size_t i = 0; i < resolved.items().size(); ++i) {
      path_.emplace_back(i);
      Completion item = complete(item_type, info, resolved.items()[i]);
      path_.pop_back();
      if (item.failed && item_type.non_null()) {
        return failure();
      }
      list.items.push_back(std::move(item.value));
    }
    return Completion{ResultValue(std::move(list)), false};
  }

  Completion complete_leaf(const TypeDefinition& type, const FieldInfo& info,
                           const Resolved& resolved) {
    if (resolved.kind() != Resolved::Kind::kLeaf) {
      return mismatch(info, "a leaf value");
    }
    try {
      if (type.kind == TypeKind::kEnum) {
        const auto* name = std::get_if<std::string>(&resolved.leaf().kind);
        if (name == nullptr || type.find_enum_value(*name) == nullptr) {
          throw CoercionError("Enum \"" + type.name +
                              "\" cannot represent value: " + inspect(resolved.leaf()));
        }
        return Completion{resolved.leaf(), false};
      }
      return Completion{type.serialize(resolved.leaf()), false};
    } catch (const CoercionError& error) {
      // The resolver produced something its type cannot carry: a server bug, but one whose
      // description is safe to show (graphql-js shows it too).
      errors_.push_back(
          GraphQLError{error.what(), locations(info.fields), path_, error_code::kInternal});
      if (options_.on_internal_error) {
        options_.on_internal_error(error, path_);
      }
    } catch (const std::exception& error) {
      internal_error(error, info.fields);
    }
    return failure();
  }

  Completion mismatch(const FieldInfo& info, const std::string& expected) {
    internal_error(
        std::logic_error("the resolver of " + info.parent.name + "." + info.definition.name +
                         " must return " + expected + " for type " + info.definition.type.sdl()),
        info.fields);
    return failure();
  }

  void internal_error(const std::exception& error, const std::vector<const Field*>& fields) {
    errors_.push_back(
        GraphQLError{"Internal server error", locations(fields), path_, error_code::kInternal});
    if (options_.on_internal_error) {
      options_.on_internal_error(error, path_);
    }
  }

  static std::vector<SourceLocation> locations(const std::vector<const Field*>& fields) {
    std::vector<SourceLocation> result;
    for (const Field* field : fields) {
      result.push_back(field->location);
    }
    return result;
  }

  // ---- Arguments (§6.4.1) ----

  ArgumentValues coerce_arguments(const OutputFieldDefinition& definition, const Field& field) {
    InputObject values;
    for (const InputValueDefinition& argument : definition.arguments) {
      const Argument* given = nullptr;
      for (const Argument& candidate : field.arguments) {
        if (candidate.name == argument.name) {
          given = &candidate;
          break;
        }
      }
      const std::string name = "Argument \"" + argument.name + "\"";
      std::optional<InputValue> value;
      if (given != nullptr) {
        if (const auto* variable = std::get_if<Variable>(&given->value.kind)) {
          const InputValue* provided = variables_.find(variable->name);
          if (provided != nullptr && provided->is_null() && argument.type.non_null()) {
            throw ArgumentFailure{
                name + " of non-null type \"" + argument.type.sdl() + "\" must not be null.",
                given->location};
          }
        }
        std::vector<CoercionIssue> issues;
        std::vector<PathSegment> path;
        value = coerce_literal(given->value, argument.type, LiteralScope{&variables_, true}, issues,
                               path);
        if (!issues.empty()) {
          const CoercionIssue& issue = issues.front();
          std::string message = name + " got invalid value " + issue.value_text;
          if (!issue.path.empty()) {
            message += " at \"" + describe_value_path(argument.name, issue.path) + "\"";
          }
          throw ArgumentFailure{message + "; " + issue.detail, given->location};
        }
      }
      if (!value) {
        if (argument.default_value) {
          value = argument.default_value;
        } else if (argument.type.non_null()) {
          const auto* variable =
              given != nullptr ? std::get_if<Variable>(&given->value.kind) : nullptr;
          throw ArgumentFailure{
              variable != nullptr
                  ? name + " of required type \"" + argument.type.sdl() +
                        "\" was provided the variable \"$" + variable->name +
                        "\" which was not provided a runtime value."
                  : name + " of required type \"" + argument.type.sdl() + "\" was not provided.",
              given != nullptr ? given->location : field.location};
        } else {
          continue;
        }
      }
      values.fields.push_back(InputField{argument.name, std::move(*value)});
    }
    return ArgumentValues(std::move(values));
  }

  const Schema::Impl& schema_;
  const ExecutionOptions& options_;
  const InputObject variables_;
  std::any no_request_context_;
  std::any& request_context_;
  std::map<std::string_view, const FragmentDefinition*> fragments_;
  std::vector<PathSegment> path_;
  std::vector<GraphQLError> errors_;
};

GraphQLError variable_error(std::string message, const VariableDefinition& definition) {
  return GraphQLError{std::move(message), {definition.location}, {}, error_code::kBadUserInput};
}

// §6.1.2 CoerceVariableValues. Errors name the variable and, for a part of it, where it sits.
InputObject coerce_variables(const Schema::Impl& schema, const OperationDefinition& operation,
                             const InputObject& given, std::vector<GraphQLError>& errors) {
  InputObject coerced;
  for (const VariableDefinition& definition : operation.variable_definitions) {
    const std::optional<TypeRef> type = schema.resolve(definition.type);
    if (!type) {
      continue;  // validation reported it
    }
    const std::string name = "Variable \"$" + definition.name + "\"";
    const InputValue* value = given.find(definition.name);
    std::vector<CoercionIssue> issues;
    std::vector<PathSegment> path;
    if (value == nullptr) {
      if (definition.default_value) {
        const InputObject no_variables;
        std::optional<InputValue> fallback = coerce_literal(
            *definition.default_value, *type, LiteralScope{&no_variables, true}, issues, path);
        if (!issues.empty()) {
          errors.push_back(variable_error(
              name + " has invalid default value: " + issues.front().message, definition));
        } else if (fallback) {
          coerced.fields.push_back(InputField{definition.name, std::move(*fallback)});
        }
      } else if (type->non_null()) {
        errors.push_back(variable_error(
            name + " of required type \"" + type->sdl() + "\" was not provided.", definition));
      }
      continue;
    }
    if (value->is_null() && type->non_null()) {
      errors.push_back(variable_error(
          name + " of non-null type \"" + type->sdl() + "\" must not be null.", definition));
      continue;
    }
    InputValue result = coerce_variable_value(*value, *type, issues, path);
    for (const CoercionIssue& issue : issues) {
      std::string message = name + " got invalid value " + issue.value_text;
      if (!issue.path.empty()) {
        message += " at \"" + describe_value_path(definition.name, issue.path) + "\"";
      }
      errors.push_back(variable_error(message + "; " + issue.message, definition));
    }
    if (issues.empty()) {
      coerced.fields.push_back(InputField{definition.name, std::move(result)});
    }
  }
  return coerced;
}

}  // namespace

ExecutionResult execute(const Schema& schema, const PreparedOperation& operation,
                        const InputObject& variables, const ExecutionOptions& options) {
  ExecutionResult result;
  InputObject coerced =
      coerce_variables(schema.impl(), *operation.operation, variables, result.errors);
  if (!result.errors.empty()) {
    return result;
  }
  return Executor(schema.impl(), operation, options, std::move(coerced)).run(*operation.operation);
}

}  // namespace choreo::graphql
