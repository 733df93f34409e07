#include "graphql/values.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "graphql/errors.hpp"
#include "graphql/inspect.hpp"

namespace choreo::graphql {
namespace {

std::string json(const ResultValue& value) {
  std::string out;
  write_json(value, out);
  return out;
}

TEST(Values, WritesScalarsAsCompactJson) {
  EXPECT_EQ(json(ResultValue()), "null");
  EXPECT_EQ(json(true), "true");
  EXPECT_EQ(json(-42), "-42");
  EXPECT_EQ(json(std::int64_t{9007199254740993}), "9007199254740993");
  EXPECT_EQ(json(RawJson{R"({"a": [1]})"}), R"({"a": [1]})");
}

TEST(Values, WritesDoublesInTheirShortestRoundTripForm) {
  EXPECT_EQ(json(0.1), "0.1");
  EXPECT_EQ(json(1.5), "1.5");
  EXPECT_EQ(json(2.0), "2");
  EXPECT_EQ(json(1e21), "1e+21");
  EXPECT_EQ(json(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(json(std::numeric_limits<double>::infinity()), "null");
}

TEST(Values, EscapesStringsPerRfc8259) {
  EXPECT_EQ(json("a\"b\\c/\b\f\n\r\t"), R"("a\"b\\c/\b\f\n\r\t")");
  EXPECT_EQ(json(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(json(std::string("nul\0!", 5)), R"("nul\u0000!")");
  EXPECT_EQ(json("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
}

TEST(Values, WritesObjectsInFieldOrderAndLists) {
  ResultObject object;
  object.fields.push_back({"z", 1});
  object.fields.push_back({"a", ResultList{{ResultValue("x"), ResultValue(), ResultList{}}}});
  object.fields.push_back({"o", ResultObject{}});
  EXPECT_EQ(json(object), R"({"z":1,"a":["x",null,[]],"o":{}})");
}

TEST(Values, FindsInputObjectFields) {
  InputObject object{{{"a", InputValue{std::int64_t{1}}}, {"b", InputValue{}}}};
  ASSERT_NE(object.find("a"), nullptr);
  EXPECT_EQ(*object.find("a")->integer(), 1);
  ASSERT_NE(object.find("b"), nullptr);
  EXPECT_TRUE(object.find("b")->is_null());
  EXPECT_EQ(object.find("c"), nullptr);
}

TEST(Values, InspectsValuesLikeTheReferenceImplementation) {
  InputList many;
  many.items.resize(12);
  for (std::size_t i = 0; i < many.items.size(); ++i) {
    many.items[i].kind = static_cast<std::int64_t>(i);
  }
  EXPECT_EQ(inspect(InputValue{many}), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 2 more items]");
  InputObject innermost;
  innermost.fields.push_back({"c", InputValue{true}});
  InputObject middle;
  middle.fields.push_back({"b", InputValue{std::move(innermost)}});
  InputObject outer;
  outer.fields.push_back({"a", InputValue{std::move(middle)}});
  const InputValue deep{std::move(outer)};
  EXPECT_EQ(inspect(deep), "{ a: { b: [Object] } }");
  EXPECT_EQ(inspect(InputValue{InputObject{}}), "{}");
  EXPECT_EQ(inspect(InputValue{std::string("q\"")}), R"("q\"")");
  EXPECT_EQ(inspect(InputValue{2.5}), "2.5");
}

TEST(Errors, WritesAnErrorWithOnlyTheMembersThatApply) {
  std::string out;
  write_json(GraphQLError{"Bad \"x\"", {}, {}, "BAD_USER_INPUT"}, out);
  EXPECT_EQ(out, R"({"message":"Bad \"x\"","extensions":{"code":"BAD_USER_INPUT"}})");
  out.clear();
  write_json(
      GraphQLError{
          "m", {{1, 2}, {3, 4}}, {std::string("orders"), std::size_t{0}, std::string("id")}, "C"},
      out);
  EXPECT_EQ(
      out,
      R"({"message":"m","locations":[{"line":1,"column":2},{"line":3,"column":4}],"path":["orders",0,"id"],"extensions":{"code":"C"}})");
}

}  // namespace
}  // namespace choreo::graphql
