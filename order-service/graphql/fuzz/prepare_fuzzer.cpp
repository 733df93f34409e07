// libFuzzer target for prepare(): parse, then validate against the engine's test schema (objects,
// enums, input objects, a custom scalar, a mutation type, introspection) under tight request
// limits, then select the operation. Built and run by `./dev fuzz`
// (tools/harness/commands/fuzz.py).
//
// Checks, beyond "no crash": every request yields either a prepared operation or at least one
// error, never both, and every error carries one of the three codes prepare() may use.
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
  // The first operation's name, when the document has one, so both selection paths run.
  const std::optional<std::string> operation_name =
      size % 2 == 0 ? std::nullopt : std::optional<std::string>("Q");
  const Preparation preparation = prepare(schema, source, operation_name, limits);
  if (preparation.prepared.has_value() == !preparation.errors.empty()) {
    std::abort();
  }
  for (const GraphQLError& error : preparation.errors) {
    if (error.code != error_code::kParseFailed && error.code != error_code::kValidationFailed &&
        error.code != error_code::kOperationResolutionFailure) {
      std::abort();
    }
  }
  return 0;
}
