// libFuzzer target for the whole pipeline: prepare() then execute() against the engine's test
// schema, whose in-memory resolvers include ones that throw, return null where they must not or
// return the wrong kind of value, and introspection; then the response is written as JSON.
// Built and run by `./dev fuzz` (tools/harness/commands/fuzz.py).
//
// Checks, beyond "no crash": a document that prepared executes to a response with data.
#include <any>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_limits.hpp"
#include "graphql/executor.hpp"
#include "graphql/test_schema.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace choreo::graphql;
  static const Schema schema = testing::make_test_schema();
  static const RequestLimits limits = fuzzing::fuzz_limits();
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  const Preparation preparation = prepare(schema, source, std::nullopt, limits);
  if (!preparation.prepared) {
    return 0;
  }
  std::any context = testing::TestContext{};
  ExecutionOptions options;
  options.request_context = &context;
  const ExecutionResult result = execute(schema, *preparation.prepared, {}, options);
  const std::string json = to_json(result);
  if (json.empty() || json.front() != '{') {
    std::abort();
  }
  return 0;
}
