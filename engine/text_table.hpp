// Aligned plain-text columns for terminal output (after ccache's TextTable).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace engine {

class TextTable {
 public:
  enum class Align { left, right };

  // Sets how each column is aligned; columns not given are left-aligned.
  void set_alignment(std::vector<Align> alignment) { m_alignment = std::move(alignment); }
  // Lets render() narrow these columns (most expendable first), cutting cells
  // with "…", so that lines fit `max_width` characters.
  void set_fit(std::size_t max_width, std::vector<std::size_t> shrinkable) {
    m_max_width = max_width;
    m_shrinkable = std::move(shrinkable);
  }
  void add_row(std::vector<std::string> cells) { m_rows.push_back(std::move(cells)); }
  // Each row on its own line, columns separated by two spaces, no trailing spaces.
  std::string render(const std::string& indent = "") const;

 private:
  std::vector<std::size_t> column_widths(std::size_t indent) const;

  std::vector<Align> m_alignment;
  std::vector<std::vector<std::string>> m_rows;
  std::size_t m_max_width = 0;
  std::vector<std::size_t> m_shrinkable;
};

// Display width of UTF-8 text: code points, so "£" and "…" are one column each.
std::size_t display_width(const std::string& text);

}  // namespace engine
