// libFuzzer target for the parser and printer. Not part of the CMake build (gcc has no libFuzzer);
// build and run it by hand, from the repository root:
//   clang++-14 -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined \
//     -I order-service/graphql/src $(ls order-service/graphql/src/graphql/*.cpp | grep -v _test) \
//     order-service/graphql/fuzz/parser_fuzzer.cpp -o /tmp/graphql_parser_fuzzer
//   /tmp/graphql_parser_fuzzer -max_len=4096 -max_total_time=300
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
