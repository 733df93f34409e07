#pragma once

#include <map>
#include <string>
#include <string_view>

namespace choreo::bus {

// Message headers as the tables keep them (tb_outbox.headers, tb_dead_letter.headers): one JSON
// object of strings. One definition for every writer and reader of those columns.

// The object for `headers` ("{}" when there are none). Bytes that are not UTF-8 are replaced,
// so a header a client sent can never make the row unwritable.
std::string headers_to_json(const std::map<std::string, std::string>& headers);

// The headers of such an object; anything else (not an object, a value that is not a string)
// is left out. "{}", the common case, is recognised without parsing.
std::map<std::string, std::string> headers_from_json(std::string_view json);

}  // namespace choreo::bus
