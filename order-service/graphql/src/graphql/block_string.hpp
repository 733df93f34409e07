#pragma once

#include <string>
#include <string_view>

namespace choreo::graphql {

// The spec's BlockStringValue(): given the raw characters between the triple quotes (with \"""
// already turned into """), removes the common indentation of every line but the first, drops
// leading and trailing blank lines, and joins the lines with "\n".
std::string block_string_value(std::string_view raw);

// Lays a value out as a block string ("""...""") that reads naturally: multi-line values start on
// their own line, a """ inside is escaped. Not every value survives this (leading blank lines or
// common indentation would be removed by the lexer); the printer checks before using it.
std::string print_block_string(std::string_view value);

}  // namespace choreo::graphql
