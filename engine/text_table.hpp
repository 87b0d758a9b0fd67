// Aligned plain-text columns for terminal output (after ccache's TextTable).
#pragma once

#include <string>
#include <vector>

namespace engine {

class TextTable {
 public:
  enum class Align { left, right };

  // Sets how each column is aligned; columns not given are left-aligned.
  void set_alignment(std::vector<Align> alignment) { m_alignment = std::move(alignment); }
  void add_row(std::vector<std::string> cells) { m_rows.push_back(std::move(cells)); }
  // Each row on its own line, columns separated by two spaces, no trailing spaces.
  std::string render(const std::string& indent = "") const;

 private:
  std::vector<Align> m_alignment;
  std::vector<std::vector<std::string>> m_rows;
};

}  // namespace engine
