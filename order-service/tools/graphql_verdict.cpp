// graphql-verdict FILE...: what the order service's GraphQL engine makes of each document, for
// the conformance suite (tests/graphql/conformance.mjs), which asks graphql-js the same question
// and compares. One JSON line per file, in the order given:
//   {"file": ..., "verdict": "parse"|"validation"|"limit"|"valid", "message": ...,
//    "line": ..., "column": ..., "errors": N}
// describing the document's first error (the first of the list a client would receive). The
// schema is the service's own (resolvers are built but never run). "limit" is an error that only
// our request limits produce (graphql-js has none), told apart by the limit's wording.
#include <array>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "api/order_schema.hpp"
#include "graphql/executor.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema_impl.hpp"
#include "graphql/syntax_error.hpp"
#include "graphql/validation.hpp"

namespace {

using nlohmann::json;
namespace gql = choreo::graphql;

// The start of every message a request limit produces, in the parser and in validation.
constexpr std::array<std::string_view, 7> kLimitMessages = {
    "The document is larger than the maximum",
    "Syntax Error: Document contains more than",
    "Syntax Error: Document is nested too deeply",
    "The document contains more than",
    "The operation is nested deeper than",
    "The operation uses more than",
    "The operation selects more than",
};

bool is_limit_message(std::string_view message) {
  for (std::string_view prefix : kLimitMessages) {
    if (message.substr(0, prefix.size()) == prefix) {
      return true;
    }
  }
  return false;
}

json verdict_line(const std::string& file, const std::string& verdict,
                  const std::vector<gql::GraphQLError>& errors) {
  json line = {{"file", file}, {"verdict", verdict}, {"errors", errors.size()}};
  if (errors.empty()) {
    return line;
  }
  const gql::GraphQLError& first = errors.front();
  line["message"] = first.message;
  if (!first.locations.empty()) {
    line["line"] = first.locations.front().line;
    line["column"] = first.locations.front().column;
  }
  if (is_limit_message(first.message)) {
    line["verdict"] = "limit";
  }
  return line;
}

// The same steps as graphql::prepare() up to validation; operation selection is left out, as
// graphql-js's validate() leaves it to execution.
json judge(const gql::Schema& schema, const std::string& file, const std::string& source) {
  const gql::RequestLimits limits;
  if (source.size() > limits.max_document_bytes) {
    return verdict_line(
        file, "limit",
        {gql::GraphQLError{"The document is larger than the maximum of " +
                               std::to_string(limits.max_document_bytes) + " bytes.",
                           {},
                           {},
                           gql::error_code::kParseFailed}});
  }
  gql::Document document;
  try {
    gql::ParseOptions options;
    options.max_tokens = limits.max_tokens;
    document = gql::parse(source, options);
  } catch (const gql::ParseError& error) {
    return verdict_line(
        file, "parse",
        {gql::GraphQLError{error.what(), {error.location()}, {}, gql::error_code::kParseFailed}});
  }
  const std::vector<gql::GraphQLError> errors = gql::validate(schema.impl(), document, limits);
  return verdict_line(file, errors.empty() ? "valid" : "validation", errors);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: graphql-verdict FILE...\n";
    return 2;
  }
  const gql::Schema schema = choreo::order_service::build_order_schema();
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string file = argv[i];
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "graphql-verdict: cannot read " << file << "\n";
      status = 2;
      continue;
    }
    const std::string source{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::cout << judge(schema, file, source).dump(-1, ' ', false, json::error_handler_t::replace)
              << "\n";
  }
  return status;
}
