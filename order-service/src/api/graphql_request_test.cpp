#include "api/graphql_request.hpp"

#include <gtest/gtest.h>

namespace choreo::order_service {
namespace {

http::HttpRequest post(std::string body, std::string content_type = "application/json") {
  http::HttpRequest request;
  request.method = "POST";
  request.path = "/graphql";
  request.headers["content-type"] = std::move(content_type);
  request.body = std::move(body);
  return request;
}

http::HttpRequest get(std::string query) {
  http::HttpRequest request;
  request.method = "GET";
  request.path = "/graphql";
  request.query = std::move(query);
  return request;
}

int status_of(const http::HttpRequest& request) {
  try {
    decode_graphql_request(request);
  } catch (const MalformedRequest& error) {
    return error.status();
  }
  return 0;
}

TEST(GraphQLRequestTest, DecodesAPostBody) {
  const auto decoded = decode_graphql_request(
      post(R"({"query":"query Q($n: Int) { orders(limit: $n) { id } }",)"
           R"("operationName":"Q","variables":{"n":5,"s":"x","l":[true,null],"o":{"f":1.5}}})",
           "application/json; charset=utf-8"));
  EXPECT_EQ(decoded.query, "query Q($n: Int) { orders(limit: $n) { id } }");
  EXPECT_EQ(decoded.operation_name, "Q");
  ASSERT_EQ(decoded.variables.fields.size(), 4u);
  EXPECT_EQ(*decoded.variables.find("n")->integer(), 5);
  EXPECT_EQ(*decoded.variables.find("s")->string(), "x");
  const auto* list = decoded.variables.find("l")->list();
  ASSERT_NE(list, nullptr);
  EXPECT_TRUE(list->items.at(1).is_null());
  EXPECT_DOUBLE_EQ(*decoded.variables.find("o")->object()->find("f")->number(), 1.5);
}

TEST(GraphQLRequestTest, NullOperationNameAndVariablesAreAbsent) {
  const auto decoded =
      decode_graphql_request(post(R"({"query":"{ products { sku } }","operationName":null,)"
                                  R"("variables":null})"));
  EXPECT_FALSE(decoded.operation_name.has_value());
  EXPECT_TRUE(decoded.variables.fields.empty());
}

TEST(GraphQLRequestTest, RefusesWhatIsNotAGraphQLPost) {
  EXPECT_EQ(status_of(post(R"({"query":"{ a }"})", "text/plain")), 415);
  EXPECT_EQ(status_of(post(R"({"query":"{ a }"})", "")), 415);
  EXPECT_EQ(status_of(post("{not json")), 400);
  EXPECT_EQ(status_of(post("[1]")), 400);
  EXPECT_EQ(status_of(post(R"({"q":"{ a }"})")), 400);
  EXPECT_EQ(status_of(post(R"({"query":5})")), 400);
  EXPECT_EQ(status_of(post(R"({"query":"{ a }","variables":[1]})")), 400);
  EXPECT_EQ(status_of(post(R"({"query":"{ a }","operationName":3})")), 400);
  EXPECT_EQ(status_of(post(R"({"query":"{ a }","variables":{"n":18446744073709551615}})")), 400);
}

TEST(GraphQLRequestTest, DeeplyNestedVariablesAreRefusedNotRecursedInto) {
  std::string nested(10'000, '[');
  nested += std::string(10'000, ']');
  EXPECT_EQ(status_of(post(R"({"query":"{ a }","variables":{"v":)" + nested + "}}")), 400);
}

TEST(GraphQLRequestTest, DecodesAGetUrl) {
  const auto decoded = decode_graphql_request(
      get("query=query%20Q(%24id%3A%20ID!)%20%7B%20order(id%3A%20%24id)%20%7B%20id%20%7D%20%7D"
          "&operationName=Q&variables=%7B%22id%22%3A%22abc%22%7D"));
  EXPECT_EQ(decoded.query, "query Q($id: ID!) { order(id: $id) { id } }");
  EXPECT_EQ(decoded.operation_name, "Q");
  EXPECT_EQ(*decoded.variables.find("id")->string(), "abc");
}

TEST(GraphQLRequestTest, RefusesABadGetUrl) {
  EXPECT_EQ(status_of(get("")), 400);
  EXPECT_EQ(status_of(get("query=%7")), 400);
  EXPECT_EQ(status_of(get("query=%zz")), 400);
  EXPECT_EQ(status_of(get("query=a&query=b")), 400);
  EXPECT_EQ(status_of(get("query=a&variables=%7B")), 400);
}

TEST(GraphQLRequestTest, PercentDecodingTurnsPlusIntoSpace) {
  EXPECT_EQ(percent_decode("a+b%20c%2B"), "a b c+");
}

TEST(GraphQLRequestTest, NegotiatesTheResponseMediaType) {
  const auto negotiate = [](std::string accept) { return negotiate_media_type(&accept); };
  EXPECT_EQ(negotiate_media_type(nullptr), ResponseMediaType::kJson);
  EXPECT_EQ(negotiate("application/json"), ResponseMediaType::kJson);
  EXPECT_EQ(negotiate("*/*"), ResponseMediaType::kJson);
  EXPECT_EQ(negotiate("application/graphql-response+json"),
            ResponseMediaType::kGraphQLResponseJson);
  EXPECT_EQ(negotiate("application/json;q=0.9, Application/GraphQL-Response+JSON"),
            ResponseMediaType::kGraphQLResponseJson);
  EXPECT_EQ(negotiate("application/graphql-response+json;q=0, application/json"),
            ResponseMediaType::kJson);
  EXPECT_EQ(negotiate("application/graphql-response+json; q=0.5"),
            ResponseMediaType::kGraphQLResponseJson);
}

}  // namespace
}  // namespace choreo::order_service
