#pragma once

#include <cstddef>
#include <string_view>

#include "graphql/ast.hpp"
#include "graphql/syntax_error.hpp"

namespace choreo::graphql {

// Bounds that keep hostile documents cheap. Parsing is linear in the size of the source; the
// depth bound also bounds the recursion of the parser, the printer and of whatever walks the tree.
struct ParseOptions {
  // Deepest nesting of selection sets, list and object values, and list types, counted together.
  std::size_t max_depth = 256;
  // Most tokens a document may have; 0 means no limit.
  std::size_t max_tokens = 0;
};

// Every function here throws ParseError on malformed input.

// Parses a document of the whole grammar: operations (including the "{ ... }" shorthand),
// fragments, and type-system definitions and extensions (which validation rejects in a request).
Document parse(std::string_view source, const ParseOptions& options = {});

// A single input value, e.g. "[1, $x, {a: ENUM}]" (variables allowed).
Value parse_value(std::string_view source, const ParseOptions& options = {});

// A single constant input value: like parse_value, but a variable is a ParseError.
Value parse_const_value(std::string_view source, const ParseOptions& options = {});

// A single type reference, e.g. "[ID!]!".
Type parse_type(std::string_view source, const ParseOptions& options = {});

}  // namespace choreo::graphql
