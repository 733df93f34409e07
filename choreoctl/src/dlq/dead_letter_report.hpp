#pragma once

#include <ostream>
#include <vector>

#include "dlq/dead_letter_record.hpp"

namespace choreo::ctl {

// Writes the dead letters as an aligned table, one line each (long reasons shortened), or a
// note when there are none.
void print_dead_letter_table(const std::vector<dlq::DeadLetterRecord>& letters, std::ostream& out);

// Writes them as one JSON array, every field included (the payload as text; bytes that are not
// UTF-8 replaced).
void print_dead_letters_json(const std::vector<dlq::DeadLetterRecord>& letters, std::ostream& out);

}  // namespace choreo::ctl
