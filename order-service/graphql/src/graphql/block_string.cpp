#include "graphql/block_string.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace choreo::graphql {

namespace {

bool is_white_space(char c) {
  return c == ' ' || c == '\t';
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(line_start, i - line_start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      line_start = i + 1;
    }
  }
  lines.push_back(text.substr(line_start));
  return lines;
}

std::size_t leading_white_space(std::string_view line) {
  std::size_t count = 0;
  while (count < line.size() && is_white_space(line[count])) {
    ++count;
  }
  return count;
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t found = text.find(from); found != std::string_view::npos;
       found = text.find(from, start)) {
    out.append(text.substr(start, found - start));
    out.append(to);
    start = found + from.size();
  }
  out.append(text.substr(start));
  return out;
}

}  // namespace

std::string block_string_value(std::string_view raw) {
  std::vector<std::string_view> lines = split_lines(raw);

  // The first line is not considered: it follows the opening quotes, so its indentation is not
  // relative to the others. Blank lines do not count either.
  std::size_t common_indent = std::string_view::npos;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::size_t indent = leading_white_space(lines[i]);
    if (indent < lines[i].size() && indent < common_indent) {
      common_indent = indent;
    }
  }
  if (common_indent != std::string_view::npos) {
    for (std::size_t i = 1; i < lines.size(); ++i) {
      lines[i].remove_prefix(std::min(common_indent, lines[i].size()));
    }
  }

  std::size_t first = 0;
  std::size_t end = lines.size();
  auto is_blank = [](std::string_view line) { return leading_white_space(line) == line.size(); };
  while (first < end && is_blank(lines[first])) {
    ++first;
  }
  while (end > first && is_blank(lines[end - 1])) {
    --end;
  }

  std::string value;
  for (std::size_t i = first; i < end; ++i) {
    if (i != first) {
      value.push_back('\n');
    }
    value.append(lines[i]);
  }
  return value;
}

std::string print_block_string(std::string_view value) {
  const std::string escaped = replace_all(value, "\"\"\"", "\\\"\"\"");
  const std::vector<std::string_view> lines = split_lines(escaped);
  const bool single_line = lines.size() == 1;

  // When every later line is indented or empty, a leading newline keeps the lexer from taking
  // the first line's own indentation as common indentation.
  bool force_leading_newline = lines.size() > 1;
  for (std::size_t i = 1; i < lines.size() && force_leading_newline; ++i) {
    force_leading_newline = lines[i].empty() || is_white_space(lines[i].front());
  }
  const bool ends_with_escaped_quotes = escaped.size() >= 4 && escaped.ends_with("\\\"\"\"");
  // A value ending in a quote or a backslash would merge with the closing quotes.
  const bool force_trailing_newline =
      (value.ends_with('"') && !ends_with_escaped_quotes) || value.ends_with('\\');
  const bool multi_line = !single_line || value.size() > 70 || force_trailing_newline ||
                          force_leading_newline || ends_with_escaped_quotes;
  const bool skip_leading_newline = single_line && !value.empty() && is_white_space(value.front());

  std::string out = "\"\"\"";
  if ((multi_line && !skip_leading_newline) || force_leading_newline) {
    out.push_back('\n');
  }
  out.append(escaped);
  if (multi_line || force_trailing_newline) {
    out.push_back('\n');
  }
  out.append("\"\"\"");
  return out;
}

}  // namespace choreo::graphql
