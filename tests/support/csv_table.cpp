#include <engine/csv_reader.hpp>
#include <tests/support/csv_table.hpp>

#include <sstream>
#include <stdexcept>

namespace tests {

const std::map<std::string, std::string>& CsvTable::row_with(const std::string& key_column,
                                                             const std::string& key) const {
  for (const auto& row : rows) {
    const auto found = row.find(key_column);
    if (found != row.end() && found->second == key) {
      return row;
    }
  }
  throw std::runtime_error("no row with " + key_column + " = " + key);
}

CsvTable parse_csv_table(const std::string& text) {
  std::istringstream in(text);
  engine::CsvReader reader(in, "<test>");
  engine::CsvRecord record;
  CsvTable table;
  if (!reader.next(record)) {
    return table;
  }
  table.header.assign(record.fields.begin(), record.fields.end());
  while (reader.next(record)) {
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < record.fields.size() && i < table.header.size(); ++i) {
      row[table.header[i]] = std::string(record.fields[i]);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace tests
