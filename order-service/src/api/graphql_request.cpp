#include "api/graphql_request.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "api/json_input.hpp"
#include "http/percent_decoding.hpp"

namespace choreo::order_service {
namespace {

// "application/json; charset=utf-8" -> "application/json"
std::string media_type_of(std::string_view field) {
  return http::to_lower_ascii(http::trim_field_whitespace(field.substr(0, field.find(';'))));
}

std::map<std::string, std::string> parse_url_query(std::string_view query) {
  std::map<std::string, std::string> parameters;
  while (!query.empty()) {
    const auto end = query.find('&');
    const auto pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view{} : query.substr(end + 1);
    if (pair.empty())
      continue;
    const auto equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals));
    auto value =
        equals == std::string_view::npos ? std::string{} : percent_decode(pair.substr(equals + 1));
    if (!parameters.emplace(std::move(name), std::move(value)).second) {
      throw MalformedRequest(400, "A URL parameter is given more than once.");
    }
  }
  return parameters;
}

graphql::InputObject decode_variables(const nlohmann::json& variables) {
  if (variables.is_null()) {
    return {};
  }
  if (!variables.is_object()) {
    throw MalformedRequest(400, "\"variables\" must be a JSON object.");
  }
  try {
    auto value = to_input_value(variables);
    return std::move(std::get<graphql::InputObject>(value.kind));
  } catch (const JsonInputError& error) {
    throw MalformedRequest(400, std::string("\"variables\": ") + error.what() + ".");
  }
}

GraphQLRequest decode_post(const http::HttpRequest& request) {
  const auto* content_type = request.header("content-type");
  if (content_type == nullptr || media_type_of(*content_type) != "application/json") {
    throw MalformedRequest(415,
                           "POST /graphql takes a JSON body (Content-Type: application/json).");
  }
  const auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    throw MalformedRequest(400, "The request body is not valid JSON.");
  }
  if (!body.is_object()) {
    throw MalformedRequest(400, "The request body must be a JSON object.");
  }
  GraphQLRequest decoded;
  const auto query = body.find("query");
  if (query == body.end() || !query->is_string()) {
    throw MalformedRequest(400, "The request body needs a \"query\" string.");
  }
  decoded.query = query->get<std::string>();
  if (const auto name = body.find("operationName"); name != body.end() && !name->is_null()) {
    if (!name->is_string()) {
      throw MalformedRequest(400, "\"operationName\" must be a string.");
    }
    decoded.operation_name = name->get<std::string>();
  }
  if (const auto variables = body.find("variables"); variables != body.end()) {
    decoded.variables = decode_variables(*variables);
  }
  return decoded;
}

GraphQLRequest decode_get(const http::HttpRequest& request) {
  auto parameters = parse_url_query(request.query);
  GraphQLRequest decoded;
  const auto query = parameters.find("query");
  if (query == parameters.end()) {
    throw MalformedRequest(400, "GET /graphql needs a \"query\" URL parameter.");
  }
  decoded.query = std::move(query->second);
  if (const auto name = parameters.find("operationName");
      name != parameters.end() && !name->second.empty()) {
    decoded.operation_name = std::move(name->second);
  }
  if (const auto variables = parameters.find("variables");
      variables != parameters.end() && !variables->second.empty()) {
    const auto json = nlohmann::json::parse(variables->second, nullptr, false);
    if (json.is_discarded()) {
      throw MalformedRequest(400, "The \"variables\" URL parameter is not valid JSON.");
    }
    decoded.variables = decode_variables(json);
  }
  return decoded;
}

}  // namespace

std::string percent_decode(std::string_view text) {
  auto decoded = http::percent_decoded(text, http::PlusSign::kSpace);
  if (!decoded)
    throw MalformedRequest(400, "The URL has a malformed percent-escape.");
  return std::move(*decoded);
}

GraphQLRequest decode_graphql_request(const http::HttpRequest& request) {
  if (request.method == "POST") {
    return decode_post(request);
  }
  return decode_get(request);
}

ResponseMediaType negotiate_media_type(const std::string* accept_header) {
  if (accept_header == nullptr) {
    return ResponseMediaType::kJson;
  }
  std::string_view rest = *accept_header;
  while (!rest.empty()) {
    const auto end = rest.find(',');
    const auto range = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (media_type_of(range) != "application/graphql-response+json")
      continue;
    // A q of zero means "not this one"; anything else counts as acceptable.
    const auto parameters = http::to_lower_ascii(range);
    const auto q = parameters.find("q=");
    if (q != std::string::npos) {
      const auto value = http::trim_field_whitespace(std::string_view(parameters).substr(q + 2));
      if (value.find_first_not_of("0.") == std::string_view::npos)
        continue;
    }
    return ResponseMediaType::kGraphQLResponseJson;
  }
  return ResponseMediaType::kJson;
}

const char* content_type_of(ResponseMediaType type) {
  return type == ResponseMediaType::kGraphQLResponseJson
             ? "application/graphql-response+json; charset=utf-8"
             : "application/json; charset=utf-8";
}

}  // namespace choreo::order_service
