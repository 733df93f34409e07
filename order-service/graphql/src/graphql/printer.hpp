#pragma once

#include <string>

#include "graphql/ast.hpp"

namespace choreo::graphql {

// Canonical GraphQL text for a tree: two-space indentation, one selection per line, arguments on
// one line, definitions separated by a blank line, no trailing newline. An anonymous query
// without variables or directives prints as the shorthand "{ ... }" (unless a type-system
// definition precedes it, which could take the braces for its body). Type-system definitions
// print with their descriptions, fields one per line. Strings are re-escaped;
// block strings stay block strings when their value survives the round trip. For any parsed
// document, parse(print(document)) has the same structure as the document.
std::string print(const Document& document);
std::string print(const Value& value);
std::string print(const Type& type);

}  // namespace choreo::graphql
