#pragma once

#include <string>

#include "graphql/values.hpp"

namespace choreo::graphql {

// A value as the reference implementation's messages quote it: strings in JSON quotes, objects as
// { name: value }, lists as [a, b]. Deep or long values are abbreviated ([Object], "... 3 more
// items") so a hostile variable cannot make an error message large.
std::string inspect(const InputValue& value);
std::string inspect(const ResultValue& value);

// Shortest text that reads back as the same double ("1.5", "5", "1e+21").
std::string format_double(double value);

}  // namespace choreo::graphql
