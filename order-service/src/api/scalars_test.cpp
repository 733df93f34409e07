#include "api/scalars.hpp"

#include <gtest/gtest.h>

namespace choreo::order_service {
namespace {

TEST(ScalarsTest, DecimalTextIsDigitsWithAnOptionalFraction) {
  for (const char* good : {"0", "49.99", "-1.5", "12.345", "007", "5000.00"}) {
    EXPECT_TRUE(is_decimal_text(good)) << good;
  }
  for (const char* bad :
       {"", "-", ".5", "5.", "1e3", "4 9", "49,99", "+1", "NaN", "1.2.3", "--1"}) {
    EXPECT_FALSE(is_decimal_text(bad)) << bad;
  }
  EXPECT_FALSE(is_decimal_text(std::string(65, '9')));
}

TEST(ScalarsTest, DecimalKeepsTheTextOfLiteralsAndVariables) {
  const auto decimal = decimal_scalar();
  graphql::Value literal;
  literal.kind = graphql::FloatValue{"49.99"};
  EXPECT_EQ(*decimal.parse_literal(literal).string(), "49.99");
  literal.kind = graphql::StringValue{"0.10", false};
  EXPECT_EQ(*decimal.parse_literal(literal).string(), "0.10");
  literal.kind = graphql::FloatValue{"1e3"};
  EXPECT_THROW(decimal.parse_literal(literal), graphql::CoercionError);
  literal.kind = graphql::BooleanValue{true};
  EXPECT_THROW(decimal.parse_literal(literal), graphql::CoercionError);

  EXPECT_EQ(*decimal.parse_value(graphql::InputValue{std::string("12.50")}).string(), "12.50");
  EXPECT_EQ(*decimal.parse_value(graphql::InputValue{std::int64_t{12}}).string(), "12");
  EXPECT_THROW(decimal.parse_value(graphql::InputValue{49.99}), graphql::CoercionError);
  EXPECT_THROW(decimal.parse_value(graphql::InputValue{std::string("abc")}),
               graphql::CoercionError);
}

TEST(ScalarsTest, DecimalAndDateTimeSerializeOnlyText) {
  EXPECT_EQ(std::get<std::string>(decimal_scalar().serialize(graphql::ResultValue("1.00")).kind),
            "1.00");
  EXPECT_THROW(date_time_scalar().serialize(graphql::ResultValue(std::int64_t{3})),
               graphql::CoercionError);
}

}  // namespace
}  // namespace choreo::order_service
