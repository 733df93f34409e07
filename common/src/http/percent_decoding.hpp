#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace choreo::http {

// How '+' reads: a space in a query string (application/x-www-form-urlencoded), itself elsewhere
// in a URL (its user and password, say).
enum class PlusSign { kSpace, kLiteral };

// `text` with each %XX escape replaced by its byte; nullopt when an escape is malformed (a '%'
// not followed by two hex digits).
std::optional<std::string> percent_decoded(std::string_view text, PlusSign plus);

}  // namespace choreo::http
