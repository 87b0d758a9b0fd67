// CSV writer: quotes a field only when it must (delimiter, quote, CR or LF in
// it), writes through a large buffer, and follows the line ending and BOM asked for.
#pragma once

#include <engine/csv_reader.hpp>

#include <array>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace engine {

struct CsvWriterOptions {
  char delimiter = ',';
  LineEnding line_ending = LineEnding::lf;
  bool bom = false;
  // A text cell starting with = + - @ tab or CR would run as a formula when the
  // file is opened in a spreadsheet; with this on it is written with a leading
  // apostrophe, which Excel shows as text. Numbers ("-3") are left alone.
  bool neutralise_formulas = true;
};

class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& output, CsvWriterOptions options = {});
  // Appends to `buffer` and never writes anywhere: for rendering rows in
  // pieces that are written out later, in order (parallel scoring).
  explicit CsvWriter(std::string& buffer, CsvWriterOptions options = {});
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // Appends one field to the current record, quoting it if needed, and
  // neutralising formula-like text (see CsvWriterOptions).
  void field(std::string_view value);
  // Appends a field written as is: for numbers the program formats itself.
  void raw_field(std::string_view value);
  // Ends the current record.
  void end_record();
  // Writes a whole record.
  void record(std::span<const std::string_view> values);
  void record(std::span<const std::string> values);
  // Writes out the buffer; throws ConfigError if the stream fails.
  void flush();

 private:
  static bool looks_like_formula(std::string_view value);
  bool needs_quotes(std::string_view value) const;
  void separate();
  void append_bom_once();
  void write_out();

  std::ostream* m_output;  // null when writing into a caller's buffer
  CsvWriterOptions m_options;
  std::string m_own_buffer;
  std::string& m_buffer;
  // The bytes that force a field into quotes: the delimiter, '"', CR and LF.
  std::array<bool, 256> m_special{};
  bool m_at_record_start = true;
  // No byte of the current record written yet: a record of one empty field
  // would otherwise be a blank line, which readers skip.
  bool m_record_blank = true;
  bool m_bom_pending;
};

}  // namespace engine
