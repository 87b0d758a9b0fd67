// Reads CSV text into rows of named fields, for tests that check output by column.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tests {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;

  // The row whose `key_column` equals `key`; throws if there is none.
  const std::map<std::string, std::string>& row_with(const std::string& key_column,
                                                     const std::string& key) const;
};

CsvTable parse_csv_table(const std::string& text);

}  // namespace tests
