#include "inspect/consumer_report.hpp"

#include <algorithm>
#include <string>

#include "runtime/time_text.hpp"

namespace choreo::ctl::inspect {
namespace {

std::string ago(std::int64_t then_ns, std::int64_t now_ns) {
  if (then_ns <= 0)
    return "never";
  return runtime::duration_text(static_cast<double>(now_ns - then_ns) / 1e9) + " ago";
}

std::string ack_pending_text(const bus::ConsumerState& consumer) {
  auto text = std::to_string(consumer.num_ack_pending);
  if (consumer.max_ack_pending > 0)
    text += " / " + std::to_string(consumer.max_ack_pending);
  return text;
}

void pad(std::ostream& out, const std::string& text, std::size_t width, bool right = false) {
  const auto fill = width > text.size() ? width - text.size() : 0;
  if (right)
    out << std::string(fill, ' ') << text;
  else
    out << text << std::string(fill, ' ');
}

}  // namespace

void print_consumer_table(const std::vector<bus::ConsumerState>& consumers, std::int64_t now_ns,
                          std::ostream& out) {
  const std::vector<std::string> headings = {"CONSUMER",     "FILTER",      "UNPROCESSED",
                                             "ACK PENDING",  "REDELIVERED", "WAITING",
                                             "LAST DELIVERY"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& consumer : consumers) {
    rows.push_back({consumer.name, consumer.filter_subject, std::to_string(consumer.num_pending),
                    ack_pending_text(consumer), std::to_string(consumer.num_redelivered),
                    std::to_string(consumer.num_waiting), ago(consumer.last_delivered_ns, now_ns)});
  }
  std::vector<std::size_t> widths;
  for (const auto& heading : headings)
    widths.push_back(heading.size());
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  }
  // Names and subjects read left-aligned, counts right-aligned.
  const auto print_row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0)
        out << "  ";
      pad(out, cells[i], i + 1 == cells.size() ? 0 : widths[i], i >= 2 && i <= 5);
    }
    out << "\n";
  };
  print_row(headings);
  for (const auto& row : rows)
    print_row(row);
  if (consumers.empty())
    out << "(no consumers on the stream yet: the services create theirs at start)\n";
}

}  // namespace choreo::ctl::inspect
