#include "dlq/dead_letter_report.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string>

namespace choreo::ctl::dlq {
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

void print_table(const std::vector<DeadLetterRecord>& letters, std::ostream& out) {
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

void print_json(const std::vector<DeadLetterRecord>& letters, std::ostream& out) {
  auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  nlohmann::json array = nlohmann::json::array();
  for (const auto& letter : letters) {
    array.push_back({{"id", letter.label()},
                     {"service", letter.service},
                     {"number", letter.id},
                     {"consumer", letter.consumer},
                     {"subject", letter.subject},
                     {"stream_seq", letter.stream_sequence},
                     {"event_id", optional(letter.event_id)},
                     {"reason", letter.reason},
                     {"attempts", letter.attempts},
                     {"created_at", letter.created_at},
                     {"replayed_at", optional(letter.replayed_at)},
                     {"replays", letter.replays},
                     {"headers", letter.headers},
                     {"payload", letter.payload}});
  }
  out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace choreo::ctl::dlq
