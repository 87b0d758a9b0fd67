// Writing CSV rows of millions of lines through a cursor instead of appending
// to a string field by field: each field is one copy, with no check of the
// string's size or of where the record stands.
#pragma once

#include <engine/csv_writer.hpp>
#include <engine/text.hpp>

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace engine::detail {

// Appends rows to `out`: room is made in large steps, at least what a row may
// need before each row, and `out` is cut to what was written when the buffer
// goes (or by trim()).
class RowBuffer {
 public:
  explicit RowBuffer(std::string& out) : m_out(out), m_used(out.size()) {}
  ~RowBuffer() { trim(); }
  RowBuffer(const RowBuffer&) = delete;
  RowBuffer& operator=(const RowBuffer&) = delete;

  // Where the next row goes, with at least `room` bytes free after it.
  char* at(std::size_t room) {
    if (m_out.size() - m_used < room) {
      m_out.resize(m_used + std::max(room, k_step));
    }
    return m_out.data() + m_used;
  }
  void written_to(const char* end) { m_used = static_cast<std::size_t>(end - m_out.data()); }
  // The bytes written so far.
  std::size_t size() const { return m_used; }
  void trim() { m_out.resize(m_used); }

 private:
  static constexpr std::size_t k_step = std::size_t{1} << 16;
  std::string& m_out;
  std::size_t m_used;
};

inline char* put(char* at, std::string_view text) {
  if (!text.empty()) {  // an empty view may have no data: memcpy must not see it
    std::memcpy(at, text.data(), text.size());
  }
  return at + text.size();
}

// A number as every output writes it (format_number); needs k_number_chars free.
inline char* put_number(char* at, double value, std::optional<int> decimals = std::nullopt) {
  if (!decimals && is_simple_number(value)) {
    return put_simple_number(at, value);
  }
  const std::string_view text =
      number_text(std::span<char, k_number_chars>(at, k_number_chars), value, decimals);
  if (text.data() != at) {
    std::memmove(at, text.data(), text.size());  // "-0" lost its sign
  }
  return at + text.size();
}

// The most a field of `text` can take as CSV: every byte a doubled quote,
// in quotes, after an apostrophe.
inline std::size_t most_field_bytes(std::string_view text) {
  return 2 * text.size() + 3;
}

// `text` as `writer` writes a field: copied when it is written as is, else
// written by a CsvWriter with the same options into `scratch` first (quoted,
// or its formula neutralised). Needs most_field_bytes(text) free.
inline char* put_field(char* at, std::string_view text, const CsvWriter& writer,
                       const CsvWriterOptions& options, std::string& scratch) {
  if (writer.writes_as_is(text)) {
    return put(at, text);
  }
  scratch.clear();
  CsvWriterOptions one_field = options;
  one_field.bom = false;
  CsvWriter(scratch, one_field).field(text);
  return put(at, scratch);
}

}  // namespace engine::detail
