#include "dlq/dead_letter_report.hpp"

#include "dlq/dead_letter_json.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string>

namespace choreo::ctl {
namespace {

constexpr std::size_t kReasonWidth = 60;

// One line, at most `width` characters: reasons may quote multi-line database errors.
std::string cell(const std::string& text, std::size_t width = std::string::npos) {
  std::string line;
  for (const char c : text)
    line.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  if (line.size() > width) {
    line.resize(width - 3);
    line += "...";
  }
  return line;
}

}  // namespace

void print_dead_letter_table(const std::vector<dlq::DeadLetterRecord>& letters, std::ostream& out) {
  if (letters.empty()) {
    out << "no dead letters\n";
    return;
  }
  constexpr std::size_t kColumns = 8;
  using Line = std::array<std::string, kColumns>;
  std::vector<Line> lines;
  lines.push_back(
      {"ID", "CONSUMER", "SUBJECT", "EVENT ID", "REASON", "ATTEMPTS", "CREATED AT", "REPLAYED AT"});
  for (const auto& letter : letters) {
    lines.push_back({letter.label(), cell(letter.consumer), cell(letter.subject),
                     cell(letter.event_id.value_or("-")), cell(letter.reason, kReasonWidth),
                     std::to_string(letter.attempts), letter.created_at,
                     letter.replayed_at.value_or("-")});
  }
  std::array<std::size_t, kColumns> widths{};
  for (const auto& line : lines) {
    for (std::size_t i = 0; i < kColumns; ++i)
      widths[i] = std::max(widths[i], line[i].size());
  }
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t i = 0; i < kColumns; ++i) {
      text += line[i];
      if (i + 1 < kColumns)
        text += std::string(widths[i] - line[i].size() + 2, ' ');
    }
    out << text << "\n";
  }
}

void print_dead_letters_json(const std::vector<dlq::DeadLetterRecord>& letters, std::ostream& out) {
  auto array = nlohmann::ordered_json::array();
  for (const auto& letter : letters)
    array.push_back(dlq::dead_letter_json(letter));
  out << array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace choreo::ctl
