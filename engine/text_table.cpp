// Tested by tests/unit/test_text.cpp.
#include <engine/text_table.hpp>

#include <algorithm>

namespace engine {

namespace {

// Display width of UTF-8 text: count code points, not bytes, so "£" is one column.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string TextTable::render(const std::string& indent) const {
  std::vector<std::size_t> widths;
  for (const auto& row : m_rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  std::string text;
  for (const auto& row : m_rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::size_t pad = widths[i] - display_width(row[i]);
      const bool right = i < m_alignment.size() && m_alignment[i] == Align::right;
      if (i != 0) {
        line += "  ";
      }
      if (right) {
        line.append(pad, ' ');
      }
      line += row[i];
      if (!right) {
        line.append(pad, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    text += line;
    text += '\n';
  }
  return text;
}

}  // namespace engine
