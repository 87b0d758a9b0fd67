// Tested by tests/unit/test_text.cpp.
#include <engine/text_table.hpp>

#include <algorithm>
#include <numeric>

namespace engine {

namespace {

constexpr std::size_t k_separator = 2;
constexpr std::size_t k_narrowest = 6;  // a shrunk column keeps this many characters

// The first `width` columns of `text`, ending in "…" when cut.
std::string cut(const std::string& text, std::size_t width) {
  if (display_width(text) <= width) {
    return text;
  }
  std::string result;
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts_character = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_character && ++columns == width) {
      break;
    }
    result += text[i];
  }
  return result + "\u2026";
}

}  // namespace

std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::vector<std::size_t> TextTable::column_widths(std::size_t indent) const {
  std::vector<std::size_t> widths;
  for (const auto& row : m_rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  if (m_max_width == 0 || widths.empty()) {
    return widths;
  }
  const auto total = [&] {
    return indent + std::accumulate(widths.begin(), widths.end(), std::size_t{0}) +
           k_separator * (widths.size() - 1);
  };
  // Narrow the most expendable column first, down to k_narrowest, then the next.
  for (const std::size_t column : m_shrinkable) {
    while (total() > m_max_width && column < widths.size() && widths[column] > k_narrowest) {
      --widths[column];
    }
  }
  return widths;
}

std::string TextTable::render(const std::string& indent) const {
  const std::vector<std::size_t> widths = column_widths(display_width(indent));
  std::string text;
  for (const auto& row : m_rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string cell = cut(row[i], widths[i]);
      const std::size_t pad = widths[i] - display_width(cell);
      const bool right = i < m_alignment.size() && m_alignment[i] == Align::right;
      if (i != 0) {
        line.append(k_separator, ' ');
      }
      if (right) {
        line.append(pad, ' ');
      }
      line += cell;
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
