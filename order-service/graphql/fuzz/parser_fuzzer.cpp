// libFuzzer target for the lexer, the parser (the whole grammar) and the printer. Not part of the
// CMake build (gcc has no libFuzzer): `./dev fuzz [SECONDS]` builds it with clang-14 and runs it
// (tools/harness/commands/fuzz.py).
//
// Checks, beyond "no crash": whatever parses prints to text that parses to the same tree, and
// printing that tree again gives the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "graphql/ast_equivalence.hpp"
#include "graphql/parser.hpp"
#include "graphql/printer.hpp"
#include "graphql/syntax_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace choreo::graphql;
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  const ParseOptions options{.max_depth = 64, .max_tokens = 5000};
  try {
    const Document document = parse(source, options);
    const std::string printed = print(document);
    const Document reparsed = parse(printed);
    if (!equivalent(document, reparsed) || print(reparsed) != printed) {
      std::abort();
    }
  } catch (const ParseError&) {
  }
  try {
    const Value value = parse_value(source, options);
    if (!equivalent(value, parse_value(print(value)))) {
      std::abort();
    }
  } catch (const ParseError&) {
  }
  return 0;
}
