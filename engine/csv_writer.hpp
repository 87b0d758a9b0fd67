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
  // neutralising formula-like text (see CsvWriterOptions). Inline: it runs for
  // every field of every row, and most fields need neither.
  void field(std::string_view value) {
    if (!writes_as_is(value)) {
      careful_field(value);
      return;
    }
    raw_field(value);
  }
  // Whether field() writes `value` byte for byte: it needs no quotes and is
  // not formula-like. Such a field can be copied straight into a row.
  bool writes_as_is(std::string_view value) const {
    return !(m_options.neutralise_formulas && !value.empty() && may_start_formula(value.front())) &&
           !needs_quotes(value);
  }
  // Appends a field written as is: for numbers the program formats itself.
  void raw_field(std::string_view value) {
    separate();
    m_buffer.append(value);
    m_record_blank = m_record_blank && value.empty();
  }
  // Whether `fields`, canonical as the reader found them (each quoted exactly
  // when this writer would quote it), are written as they are joined: none
  // is to be neutralised as formula-like. Then the record's bytes can be
  // copied whole instead of writing field by field.
  bool joins_as_is(std::span<const std::string_view> fields) const {
    if (m_options.neutralise_formulas) {
      for (const std::string_view value : fields) {
        if (!value.empty() && may_start_formula(value.front())) {
          return false;
        }
      }
    }
    return true;
  }
  // Ends the current record.
  void end_record();
  // Writes a whole record.
  void record(std::span<const std::string_view> values);
  void record(std::span<const std::string> values);
  // Writes out the buffer; throws ConfigError if the stream fails.
  void flush();

 private:
  static bool looks_like_formula(std::string_view value);
  // OWASP's list of characters a spreadsheet reads as the start of a formula.
  static bool may_start_formula(char c) {
    // One look-up: this runs on the first byte of every field of every row.
    static constexpr auto k_starts = [] {
      std::array<bool, 256> starts{};
      for (const char start : {'=', '+', '-', '@', '\t', '\r'}) {
        starts[static_cast<unsigned char>(start)] = true;
      }
      return starts;
    }();
    return k_starts[static_cast<unsigned char>(c)];
  }
  bool needs_quotes(std::string_view value) const {
    // One table look-up a byte: this runs over every byte of every field.
    bool special = false;
    for (const char c : value) {
      special |= m_special[static_cast<unsigned char>(c)];
    }
    return special;
  }
  // A field that is formula-like or needs quotes: the general path.
  void careful_field(std::string_view value);
  void separate() {
    if (m_bom_pending) {
      append_bom_once();
    }
    if (m_at_record_start) {
      m_at_record_start = false;
    } else {
      m_buffer += m_options.delimiter;
      m_record_blank = false;
    }
  }
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
