// Tested by tests/unit/test_csv_writer.cpp.
// Output collects in m_buffer and goes to the stream in ~1 MiB writes, so a
// 10M-row file costs a few thousand stream calls, not one per field. The
// stream's state is checked after every write-out, so a full disk or a closed
// pipe is reported (as ConfigError) soon after it happens, not silently lost.
#include <engine/csv_writer.hpp>
#include <engine/errors.hpp>
#include <engine/file_io.hpp>
#include <engine/text.hpp>

namespace engine {

namespace {

constexpr std::size_t k_flush_bytes = std::size_t{1} << 20;
constexpr std::string_view k_bom = "\xEF\xBB\xBF";

// The bytes that force a field into quotes.
std::array<bool, 256> special_bytes(char delimiter) {
  std::array<bool, 256> special{};
  for (const char c : {delimiter, '"', '\r', '\n'}) {
    special[static_cast<unsigned char>(c)] = true;
  }
  return special;
}

}  // namespace

CsvWriter::CsvWriter(std::ostream& output, CsvWriterOptions options)
    : m_output(&output),
      m_options(options),
      m_buffer(m_own_buffer),
      m_special(special_bytes(options.delimiter)),
      m_bom_pending(options.bom) {
  m_buffer.reserve(k_flush_bytes + 4096);
}

CsvWriter::CsvWriter(std::string& buffer, CsvWriterOptions options)
    : m_output(nullptr),
      m_options(options),
      m_buffer(buffer),
      m_special(special_bytes(options.delimiter)),
      m_bom_pending(options.bom) {}

CsvWriter::~CsvWriter() {
  // A destructor must not throw; callers that care about write errors call
  // flush() themselves before the writer goes out of scope.
  try {
    flush();
  } catch (...) {
  }
}

void CsvWriter::careful_field(std::string_view value) {
  if (m_options.neutralise_formulas && !value.empty() && looks_like_formula(value)) {
    std::string safe = "'";
    safe += value;
    m_options.neutralise_formulas = false;  // write `safe` itself through the same path
    careful_field(safe);
    m_options.neutralise_formulas = true;
    return;
  }
  separate();
  if (!needs_quotes(value)) {
    m_buffer += value;
    m_record_blank = m_record_blank && value.empty();
    return;
  }
  m_buffer += '"';
  for (const char c : value) {
    if (c == '"') {
      m_buffer += '"';
    }
    m_buffer += c;
  }
  m_buffer += '"';
  m_record_blank = false;
}

bool CsvWriter::looks_like_formula(std::string_view value) {
  return !value.empty() && may_start_formula(value.front()) && !parse_number(value);
}

void CsvWriter::end_record() {
  append_bom_once();
  if (!m_at_record_start && m_record_blank) {
    m_buffer += "\"\"";  // one empty field, written so it is not a blank line
  }
  m_buffer += m_options.line_ending == LineEnding::crlf ? "\r\n" : "\n";
  m_at_record_start = true;
  m_record_blank = true;
  if (m_output != nullptr && m_buffer.size() >= k_flush_bytes) {
    write_out();
  }
}

void CsvWriter::record(std::span<const std::string_view> values) {
  for (const std::string_view value : values) {
    field(value);
  }
  end_record();
}

void CsvWriter::record(std::span<const std::string> values) {
  for (const std::string& value : values) {
    field(value);
  }
  end_record();
}

void CsvWriter::flush() {
  if (m_output == nullptr) {
    return;
  }
  write_out();
  flush_output(*m_output);
}

void CsvWriter::append_bom_once() {
  if (m_bom_pending) {
    m_buffer += k_bom;
    m_bom_pending = false;
  }
}

void CsvWriter::write_out() {
  write_text(*m_output, m_buffer);
  m_buffer.clear();
}

}  // namespace engine
