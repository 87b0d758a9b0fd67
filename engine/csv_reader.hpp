// Streaming RFC 4180 CSV reader: quoted fields holding delimiters, quotes and
// line breaks; CRLF or LF; a UTF-8 byte-order mark; blank lines skipped.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

enum class LineEnding { lf, crlf };

struct CsvOptions {
  char delimiter = ',';
  // A record longer than this is an error, not a reason to exhaust memory.
  std::size_t max_record_bytes = std::size_t{64} << 20;
  // So is a field longer than this: no referral field is anywhere near 1 MiB.
  std::size_t max_field_bytes = std::size_t{1} << 20;
  // Commands that hold the list in memory stop at this many rows (0: no limit).
  std::size_t max_rows = 0;
  // How much is read at a time. Large blocks make reading fast; tests and the
  // fuzzer use tiny ones so that records cross block boundaries everywhere.
  std::size_t block_bytes = std::size_t{1} << 20;
};

// One record. The field views stay valid until the next call to CsvReader::next.
struct CsvRecord {
  std::vector<std::string_view> fields;
  // Physical line (1-based) on which the record starts.
  std::size_t line = 0;
  // Record ordinal among the records this reader has read (the header is 1 when
  // the reader starts at the top of a file).
  std::size_t row = 0;
  // Where the record starts in the reader's input (for a reader over memory:
  // the offset into that memory).
  std::size_t offset = 0;
  std::string_view bytes;  // the record as read, line ending included
  // Each field quoted exactly when it holds the delimiter, a CR or an LF, and
  // none holding a quote: the form CsvWriter writes, so writing the fields
  // again gives back the bytes before the line ending. False when not known.
  bool canonical = false;
  // False when the reader has looked at every byte and none is a NUL (binary
  // data, not text): then nobody need search the record for one again.
  bool may_hold_nul = true;
};

// Where a reader over memory starts: the line number of its first byte, and
// whether that is the top of a file (where a byte-order mark may be).
struct CsvStart {
  std::size_t line = 1;
  bool file_start = true;
};

// Reads records one at a time from a stream, in large blocks, without copying
// fields that need no unescaping. Lenient where Excel and Python are: a quote
// inside an unquoted field, or text after a closing quote, is kept literally.
class CsvReader {
 public:
  // source_name is used in error messages (a path, or "<stdin>").
  CsvReader(std::istream& input, std::string source_name, CsvOptions options = {});
  // Reads records straight out of `bytes`, which must outlive the reader: no
  // copy is made, and field views point into `bytes` unless unescaped.
  CsvReader(std::string_view bytes, std::string source_name, CsvOptions options = {},
            CsvStart start = {});

  // Reads the next non-blank record into `record`; returns false at end of input.
  // Throws InputError on an unterminated quoted field (naming the line where it
  // opened) or a record longer than max_record_bytes.
  bool next(CsvRecord& record);
  // Reads the next record as next() does, with the same errors, but keeps
  // only its field `column` (0-based): record.fields is that one field, or
  // empty when the record has no such column, and record.canonical is false.
  // For a pass that needs one field of every record: finding where records
  // end and what their ids are costs far less than splitting every field.
  // With column k_every_field it is next().
  bool next_field(CsvRecord& record, std::size_t column);
  static constexpr std::size_t k_every_field = static_cast<std::size_t>(-1);

  // Whether the input began with a UTF-8 byte-order mark (known after the first next()).
  bool had_bom() const { return m_had_bom; }
  // The line ending of the first record (LF when no record has been read).
  LineEnding line_ending() const { return m_line_ending; }
  const std::string& source_name() const { return m_source_name; }
  // The offset of the first byte not yet read (into `bytes` for a reader over
  // memory), and the line it is on.
  std::size_t offset() const { return m_consumed + m_pos; }
  std::size_t line() const { return m_line; }

 private:
  struct FieldSpan {
    std::size_t begin;  // offset from the record start, or into m_scratch
    std::size_t length;
    bool in_scratch;
  };
  // How a fully parsed record ends.
  struct RecordEnd {
    std::size_t length = 0;    // bytes consumed, line ending included
    std::size_t content = 0;   // bytes before the line ending
    std::size_t newlines = 0;  // LFs consumed, in quoted fields and the ending
    bool crlf = false;
    bool canonical = false;  // see CsvRecord::canonical
    bool plain = false;      // fields in m_plain_fields, not m_spans
    bool nul_free = false;   // every byte looked at, and none a NUL
  };

  static void keep_only(CsvRecord& record, std::size_t column);
  void start();
  void fill();
  void compact();
  void skip_blank_lines();
  // Tries to parse one record starting at m_pos into m_spans. Returns false when
  // the buffer ends before the record does (and more input may follow).
  bool parse_record(RecordEnd& end);
  bool parse_plain_record(RecordEnd& end);
  bool parse_plain_field(RecordEnd& end, std::size_t column);
  bool parse_unquoted(const char* start, const char*& p, const char* stop);
  bool parse_quoted(const char* start, const char*& p, const char* stop, std::size_t& newlines);
  // Where the field starting at `from` ends (a delimiter, LF or the end of
  // input), or nullptr if the buffer ends first and more input may follow.
  const char* field_end(const char* from, const char* stop) const;
  void add_span(std::size_t begin, std::size_t length, bool in_scratch);
  void emit(CsvRecord& record, const RecordEnd& end);
  void check_partial_record() const;
  [[noreturn]] void throw_unterminated(const char* start, const char* open) const;
  [[noreturn]] void throw_too_long() const;

  std::istream* m_input = nullptr;  // null for a reader over memory
  std::string m_source_name;
  CsvOptions m_options;
  std::vector<char> m_buffer;
  const char* m_data = nullptr;  // m_buffer's bytes, or the memory read from
  std::size_t m_consumed = 0;    // bytes dropped from the front of m_buffer so far
  std::size_t m_pos = 0;         // start of the unread part of m_buffer
  std::size_t m_end = 0;         // end of the valid data in m_buffer
  bool m_eof = false;
  bool m_started = false;
  bool m_had_bom = false;
  bool m_first_record = true;
  LineEnding m_line_ending = LineEnding::lf;
  std::size_t m_line = 1;
  std::size_t m_row = 0;
  std::vector<FieldSpan> m_spans;  // the first m_field_count are this record's
  // Or these, for a record parse_plain_record read: views into the input.
  std::vector<std::string_view> m_plain_fields;
  std::size_t m_field_count = 0;
  std::string m_scratch;
};

}  // namespace engine
