// Tested by tests/unit/test_csv_reader.cpp and tests/unit/test_csv_spectrum.cpp.
// The stream is read in 1 MiB blocks into m_buffer. A record is parsed in place:
// fields are recorded as offsets (FieldSpan) and become string_views into the
// buffer only once the whole record is known, so nothing is allocated per field.
// Only fields that are not one contiguous run of bytes (a doubled quote, or text
// after a closing quote) are copied, into m_scratch. When the buffer ends inside
// a record, the unread tail moves to the front (the buffer grows if the record
// fills it) and the record is parsed again from its start.
#include <engine/csv_reader.hpp>
#include <engine/detail/byte_masks.hpp>
#include <engine/errors.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace engine {

namespace {

constexpr char k_bom[] = {'\xEF', '\xBB', '\xBF'};

std::size_t distance(const char* from, const char* to) {
  return static_cast<std::size_t>(to - from);
}

std::size_t count_newlines(const char* from, const char* to) {
  return static_cast<std::size_t>(std::count(from, to, '\n'));
}

// The CR of a CRLF (or a CR at the very end of the input) ends the line and is
// not part of the field; a CR anywhere else in an unquoted field is kept.
const char* without_line_cr(const char* begin, const char* end, const char* stop) {
  const bool ends_line = end == stop || *end == '\n';
  return ends_line && end > begin && end[-1] == '\r' ? end - 1 : end;
}

}  // namespace

CsvReader::CsvReader(std::istream& input, std::string source_name, CsvOptions options)
    : m_input(&input),
      m_source_name(std::move(source_name)),
      m_options(options),
      m_buffer(std::max<std::size_t>(options.block_bytes, 16)),
      m_data(m_buffer.data()) {}

CsvReader::CsvReader(std::string_view bytes, std::string source_name, CsvOptions options,
                     CsvStart start)
    : m_source_name(std::move(source_name)),
      m_options(options),
      m_data(bytes.data()),
      m_end(bytes.size()),
      m_eof(true),
      m_started(!start.file_start),
      m_first_record(start.file_start),
      m_line(start.line) {}

bool CsvReader::next(CsvRecord& record) {
  return next_field(record, k_every_field);
}

bool CsvReader::next_field(CsvRecord& record, std::size_t column) {
  if (!m_started) {
    start();
  }
  const bool one_field = column != k_every_field;
  for (;;) {
    skip_blank_lines();
    if (m_pos == m_end && m_eof) {
      return false;
    }
    RecordEnd end;
    if (m_pos < m_end && one_field && parse_plain_field(end, column)) {
      emit(record, end);
      return true;
    }
    if (m_pos < m_end && parse_record(end)) {
      emit(record, end);
      if (one_field) {
        keep_only(record, column);
      }
      return true;
    }
    // The record (or a blank line's CR) runs past the buffer: fetch more. Each
    // round either reads bytes or reaches the end of input, so this terminates.
    check_partial_record();
    compact();
    fill();
  }
}

void CsvReader::keep_only(CsvRecord& record, std::size_t column) {
  if (column < record.fields.size()) {
    record.fields[0] = record.fields[column];
    record.fields.resize(1);
  } else {
    record.fields.clear();
  }
  record.canonical = false;
}

void CsvReader::start() {
  m_started = true;
  fill();
  if (m_end >= sizeof k_bom && std::memcmp(m_data, k_bom, sizeof k_bom) == 0) {
    m_had_bom = true;
    m_pos = sizeof k_bom;
  }
}

void CsvReader::fill() {
  if (m_eof) {
    return;
  }
  const std::size_t room = m_buffer.size() - m_end;
  m_input->read(m_buffer.data() + m_end, static_cast<std::streamsize>(room));
  const auto got = static_cast<std::size_t>(m_input->gcount());
  m_end += got;
  if (got < room) {
    // A short read is the end of input, unless the stream reports an I/O
    // failure: then the data would be silently truncated, so say so.
    if (m_input->bad()) {
      throw InputError(SourceLocation{m_source_name, m_line, 0}, "could not read the input");
    }
    m_eof = true;
  }
}

void CsvReader::compact() {
  const std::size_t unread = m_end - m_pos;
  if (m_pos > 0 && unread > 0) {
    std::memmove(m_buffer.data(), m_buffer.data() + m_pos, unread);
  }
  m_consumed += m_pos;
  m_pos = 0;
  m_end = unread;
  if (m_end == m_buffer.size()) {
    // One record fills the whole buffer. Grow only as far as needed to see a
    // record of max_record_bytes plus its CRLF, so a runaway quote costs at
    // most about that much memory before check_partial_record reports it.
    const std::size_t limit = m_options.max_record_bytes;
    const std::size_t cap = limit > std::numeric_limits<std::size_t>::max() - 2 ? limit : limit + 2;
    m_buffer.resize(std::max(m_buffer.size() + 1, std::min(m_buffer.size() * 2, cap)));
    m_data = m_buffer.data();
  }
}

void CsvReader::skip_blank_lines() {
  const char* data = m_data;
  while (m_pos < m_end) {
    if (data[m_pos] == '\n') {
      ++m_pos;
      ++m_line;
    } else if (data[m_pos] == '\r' && m_pos + 1 < m_end && data[m_pos + 1] == '\n') {
      m_pos += 2;
      ++m_line;
    } else if (data[m_pos] == '\r' && m_pos + 1 == m_end && m_eof) {
      ++m_pos;  // a lone CR at the very end is a blank last line
    } else {
      return;  // a record starts here, or a CR whose next byte is not read yet
    }
  }
}

#if defined(__SSE2__)
namespace {

using detail::chunk_bits;
using detail::ChunkBits;
using detail::count_bits;
using detail::inside_quotes;

constexpr std::size_t k_plain_chunks = 8;  // 512 bytes

// What the bit masks of one record say (see parse_plain_record), for up to
// k_plain_chunks chunks of 64 bytes from its start.
struct RecordMasks {
  std::uint64_t delimiters[k_plain_chunks];  // outside quotes
  std::uint64_t forcing[k_plain_chunks];     // delimiters, CRs and LFs inside quotes
  std::uint64_t openers[k_plain_chunks];     // quotes that open a quoted run
  std::uint64_t closers[k_plain_chunks];     // quotes that close one
  std::size_t quotes = 0;                    // in the record
  std::size_t newlines = 0;                  // in its quoted fields
  std::size_t loose_returns = 0;             // CRs outside quotes, its line ending's included
  std::size_t record_end = 0;                // its line feed
  std::size_t chunks = 0;
  bool nul = false;
};

// The masks of the record at `start`; false when its line feed is not in the
// first k_plain_chunks chunks, or they run past `stop`, or the delimiter is a
// quote or a line break. Quotes are paired as they come, which is how a
// record that passes as plain is read.
template <bool Quotes>
[[gnu::always_inline]] inline bool record_masks(const char* start, const char* stop, char delimiter,
                                                RecordMasks& m) {
  // Such a delimiter could not be told from the bytes the masks are of.
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
    return false;
  }
  std::uint64_t carry = 0;
  for (;; ++m.chunks) {
    const char* chunk = start + 64 * m.chunks;
    if (m.chunks == k_plain_chunks || stop - chunk < 64) {
      return false;
    }
    const ChunkBits bits = chunk_bits(chunk, delimiter);
    const std::uint64_t inside = inside_quotes(bits.quotes, carry);
    carry = std::uint64_t{0} - (inside >> 63);
    const std::uint64_t ends = bits.feeds & ~inside;
    // Only the bits before the record's line feed are the record's.
    const std::uint64_t mine =
        ends == 0 ? ~std::uint64_t{0} : (ends & (std::uint64_t{0} - ends)) - 1;
    const std::uint64_t return_bits = bits.returns & mine;
    m.delimiters[m.chunks] = bits.delimiters & ~inside & mine;
    m.forcing[m.chunks] = (bits.delimiters | bits.feeds | return_bits) & inside & mine;
    if constexpr (Quotes) {
      m.openers[m.chunks] = bits.quotes & inside & mine;
      m.closers[m.chunks] = bits.quotes & ~inside & mine;
    }
    m.quotes += count_bits(bits.quotes & mine);
    m.newlines += count_bits(bits.feeds & mine);
    m.loose_returns += count_bits(return_bits & ~inside);
    m.nul = m.nul || bits.nul;
    if (ends != 0) {
      m.record_end = 64 * m.chunks + static_cast<std::size_t>(__builtin_ctzll(ends));
      ++m.chunks;
      return true;
    }
  }
}

}  // namespace

// Most records are simple: no quote, or fields quoted whole with no quote
// inside. Such a record is split from bit masks of its quotes, delimiters and
// line feeds, 64 bytes at a time, with no call per field. Anything else (a
// doubled quote, text after a closing quote, a quote inside an unquoted field,
// a record over 512 bytes or too near the end of the buffer) is left to the
// general parser (false), which parses the record again from its start.
bool CsvReader::parse_plain_record(RecordEnd& end) {
  const char* const start = m_data + m_pos;
  RecordMasks masks;
  if (!record_masks<false>(start, m_data + m_end, m_options.delimiter, masks)) {
    return false;
  }
  const std::uint64_t* const delimiters = masks.delimiters;
  const std::uint64_t* const forcing = masks.forcing;
  const std::size_t quotes = masks.quotes;
  const std::size_t chunks = masks.chunks;
  const std::size_t record_end = masks.record_end;
  // A record of 512 bytes has at most 513 fields: room for them all first, so
  // each field is two stores.
  if (m_plain_fields.size() < 64 * k_plain_chunks + 1) {
    m_plain_fields.resize(64 * k_plain_chunks + 1);
  }
  // Whether a byte in [from, to) is one that forces quotes.
  const auto forced = [&](std::size_t from, std::size_t to) {
    for (std::size_t at = from; at < to;) {
      const std::size_t c = at / 64;
      const std::size_t bits_to = std::min(to, 64 * c + 64) - 64 * c;
      const std::uint64_t below =
          bits_to == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits_to) - 1;
      if ((forcing[c] & below & ~((std::uint64_t{1} << (at % 64)) - 1)) != 0) {
        return true;
      }
      at = 64 * c + 64;
    }
    return false;
  };
  std::size_t quoted = 0;
  bool canonical = true;
  // Nothing here is unescaped, so each field is a view made at once. The
  // count is a local: a member would be stored and read again at each field,
  // as the compiler cannot tell that the views do not overlap it.
  std::string_view* const fields = m_plain_fields.data();
  std::size_t count = 0;
  // A field that starts with a quote must end with one; the count of quotes
  // below then proves there are no others.
  const auto add_field = [&](std::size_t begin, std::size_t content_end) {
    if (quotes != 0 && content_end > begin && start[begin] == '"') {
      if (content_end - begin < 2 || start[content_end - 1] != '"') {
        return false;
      }
      ++quoted;
      canonical = canonical && forced(begin + 1, content_end - 1);
      fields[count++] = std::string_view(start + begin + 1, content_end - begin - 2);
    } else {
      fields[count++] = std::string_view(start + begin, content_end - begin);
    }
    return true;
  };
  std::size_t field_begin = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::uint64_t bits = delimiters[c]; bits != 0; bits &= bits - 1) {
      const std::size_t at = 64 * c + static_cast<std::size_t>(__builtin_ctzll(bits));
      if (!add_field(field_begin, at)) {
        return false;
      }
      field_begin = at + 1;
    }
  }
  // The CR of a CRLF is not part of the last field (as without_line_cr).
  end.crlf = record_end > 0 && start[record_end - 1] == '\r';
  const std::size_t last_end = end.crlf && record_end > field_begin ? record_end - 1 : record_end;
  if (!add_field(field_begin, last_end) || quotes != 2 * quoted) {
    return false;
  }
  m_field_count = count;
  end.content = record_end - (end.crlf ? 1 : 0);
  end.canonical = canonical && masks.loose_returns == (end.crlf ? 1U : 0U);
  end.length = record_end + 1;
  end.newlines = masks.newlines + 1;
  end.plain = true;
  end.nul_free = !masks.nul;
  return true;
}

// Field `column` alone of a record that would pass as plain, from its masks:
// plain means every quote that opens a run is a field's first byte and every
// one that closes it a field's last, which is what the per-field checks above
// come to. Nothing else of the record is made.
bool CsvReader::parse_plain_field(RecordEnd& end, std::size_t column) {
  const char* const start = m_data + m_pos;
  RecordMasks masks;
  if (!record_masks<true>(start, m_data + m_end, m_options.delimiter, masks)) {
    return false;
  }
  const std::size_t record_end = masks.record_end;
  // The field length limit is checked field by field, by the full parse.
  if (record_end > m_options.max_field_bytes) {
    return false;
  }
  end.crlf = record_end > 0 && start[record_end - 1] == '\r';
  const std::size_t content_end = record_end - (end.crlf ? 1 : 0);
  if (masks.quotes != 0) {
    // Field starts: byte 0 and each byte after a delimiter. Field last bytes:
    // each byte before a delimiter, and the last before the content's end.
    std::uint64_t starts_carry = 1;
    for (std::size_t c = 0; c < masks.chunks; ++c) {
      const std::uint64_t d = masks.delimiters[c];
      const std::uint64_t starts = (d << 1) | starts_carry;
      starts_carry = d >> 63;
      std::uint64_t lasts = d >> 1;
      if (c + 1 < masks.chunks) {
        lasts |= masks.delimiters[c + 1] << 63;
      }
      if (content_end > 0 && (content_end - 1) / 64 == c) {
        lasts |= std::uint64_t{1} << ((content_end - 1) % 64);
      }
      if ((masks.openers[c] & ~starts) != 0 || (masks.closers[c] & ~lasts) != 0) {
        return false;
      }
    }
  }
  // The field between delimiter `column` - 1 and delimiter `column`.
  std::size_t begin = 0;
  std::size_t field_end = content_end;
  std::size_t seen = 0;  // delimiters passed
  bool found_end = false;
  for (std::size_t c = 0; c < masks.chunks && !found_end; ++c) {
    for (std::uint64_t bits = masks.delimiters[c]; bits != 0; bits &= bits - 1) {
      const std::size_t at = 64 * c + static_cast<std::size_t>(__builtin_ctzll(bits));
      if (seen == column) {
        field_end = at;
        found_end = true;
        break;
      }
      begin = at + 1;
      ++seen;
    }
  }
  if (m_plain_fields.empty()) {
    m_plain_fields.resize(1);
  }
  m_field_count = 0;
  if (seen == column) {
    std::string_view field(start + begin, field_end - begin);
    if (masks.quotes != 0 && !field.empty() && field.front() == '"') {
      field = field.substr(1, field.size() - 2);
    }
    m_plain_fields[0] = field;
    m_field_count = 1;
  }
  end.content = content_end;
  end.canonical = false;
  end.length = record_end + 1;
  end.newlines = masks.newlines + 1;
  end.plain = true;
  end.nul_free = !masks.nul;
  return true;
}
#else
bool CsvReader::parse_plain_record(RecordEnd&) {
  return false;
}
bool CsvReader::parse_plain_field(RecordEnd&, std::size_t) {
  return false;
}
#endif

bool CsvReader::parse_record(RecordEnd& end) {
  const char* const start = m_data + m_pos;
  const char* const stop = m_data + m_end;
  m_field_count = 0;
  m_scratch.clear();
  if (parse_plain_record(end)) {
    return true;
  }
  m_field_count = 0;
  std::size_t newlines = 0;
  const char* p = start;
  for (;;) {
    const bool ok = p < stop && *p == '"' ? parse_quoted(start, p, stop, newlines)
                                          : parse_unquoted(start, p, stop);
    if (!ok) {
      return false;
    }
    if (p == stop || *p == '\n') {
      break;
    }
    ++p;  // the delimiter
  }
  // The field parsers left any CR of the line ending out of the last field.
  end.crlf = p < stop && p > start && p[-1] == '\r';
  end.content = distance(start, p) - (end.crlf ? 1 : 0);
  end.length = distance(start, p) + (p < stop ? 1 : 0);
  end.newlines = newlines + (p < stop ? 1 : 0);
  return true;
}

const char* CsvReader::field_end(const char* from, const char* stop) const {
  const char delimiter = m_options.delimiter;
  const char* p = from;
#if defined(__SSE2__)
  // Sixteen bytes at a time while sixteen are there: the delimiter or LF is
  // usually in the first sixteen, found with one compare instead of a loop.
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i newlines = _mm_set1_epi8('\n');
  while (stop - p >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int hits = _mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(chunk, delimiters), _mm_cmpeq_epi8(chunk, newlines)));
    if (hits != 0) {
      return p + __builtin_ctz(static_cast<unsigned>(hits));
    }
    p += 16;
  }
#endif
  while (p < stop && *p != delimiter && *p != '\n') {
    ++p;
  }
  return p == stop && !m_eof ? nullptr : p;
}

bool CsvReader::parse_unquoted(const char* start, const char*& p, const char* stop) {
  // A quote that does not open the field is an ordinary byte (lenient, as in
  // Excel and Python's csv module).
  const char* end = field_end(p, stop);
  if (end == nullptr) {
    return false;
  }
  const char* content_end = without_line_cr(p, end, stop);
  add_span(distance(start, p), distance(p, content_end), false);
  p = end;
  return true;
}

bool CsvReader::parse_quoted(const char* start, const char*& p, const char* stop,
                             std::size_t& newlines) {
  const char* const open = p;
  const char* run = p + 1;  // start of the content not yet copied to scratch
  bool in_scratch = false;
  const std::size_t scratch_begin = m_scratch.size();
  const char* close = nullptr;
  while (close == nullptr) {
    const auto* quote = static_cast<const char*>(std::memchr(run, '"', distance(run, stop)));
    if (quote == nullptr || (quote + 1 == stop && !m_eof)) {
      if (!m_eof) {
        return false;  // cannot yet tell a closing quote from a doubled one
      }
      throw_unterminated(start, open);
    }
    if (quote + 1 < stop && quote[1] == '"') {
      m_scratch.append(run, distance(run, quote + 1));  // keep one of the two
      in_scratch = true;
      run = quote + 2;
    } else {
      close = quote;
    }
  }
  const char* end = field_end(close + 1, stop);
  if (end == nullptr) {
    return false;
  }
  newlines += count_newlines(open, close);
  // Text between the closing quote and the delimiter is kept, literally.
  const char* trail_end = without_line_cr(close + 1, end, stop);
  if (in_scratch || trail_end > close + 1) {
    m_scratch.append(run, distance(run, close));
    m_scratch.append(close + 1, distance(close + 1, trail_end));
    add_span(scratch_begin, m_scratch.size() - scratch_begin, true);
  } else {
    add_span(distance(start, run), distance(run, close), false);
  }
  p = end;
  return true;
}

void CsvReader::add_span(std::size_t begin, std::size_t length, bool in_scratch) {
  // This runs once per field, the innermost step of the reader. m_spans only
  // grows and is written member by member: push_back of a struct built on the
  // stack cost a third of the reading time (a call plus a store-forwarding stall).
  if (m_field_count == m_spans.size()) {
    m_spans.resize(m_spans.size() * 2 + 16);
  }
  FieldSpan& span = m_spans[m_field_count++];
  span.begin = begin;
  span.length = length;
  span.in_scratch = in_scratch;
}

void CsvReader::emit(CsvRecord& record, const RecordEnd& end) {
  if (end.content > m_options.max_record_bytes) {
    throw_too_long();
  }
  const char* base = m_data + m_pos;
  // Sized once and written by index: one capacity check a record, not a field.
  record.fields.resize(m_field_count);
  std::string_view* fields = record.fields.data();
  if (end.plain) {
    std::copy_n(m_plain_fields.data(), m_field_count, fields);
  } else {
    // Views are made only now: m_scratch may have reallocated while parsing.
    for (std::size_t i = 0; i < m_field_count; ++i) {
      const FieldSpan& span = m_spans[i];
      const char* data = span.in_scratch ? m_scratch.data() + span.begin : base + span.begin;
      fields[i] = std::string_view(data, span.length);
    }
  }
  // No field is longer than its record's bytes (unescaping only shortens).
  if (end.content > m_options.max_field_bytes) {
    for (std::size_t i = 0; i < m_field_count; ++i) {
      if (fields[i].size() > m_options.max_field_bytes) {
        throw InputError(SourceLocation{m_source_name, m_line, 0},
                         "field " + std::to_string(i + 1) + " is longer than " +
                             std::to_string(m_options.max_field_bytes) +
                             " bytes (the limit; see --max-field-bytes)");
      }
    }
  }
  record.line = m_line;
  record.row = ++m_row;
  record.offset = offset();
  record.bytes = std::string_view(base, end.length);
  record.canonical = end.canonical;
  record.may_hold_nul = !end.nul_free;
  if (m_first_record) {
    m_first_record = false;
    m_line_ending = end.crlf ? LineEnding::crlf : LineEnding::lf;
  }
  m_line += end.newlines;
  m_pos += end.length;
}

void CsvReader::check_partial_record() const {
  // One byte of slack: a trailing CR may turn out to be half of the CRLF.
  const std::size_t limit = m_options.max_record_bytes;
  if (m_end - m_pos > limit && m_end - m_pos - limit > 1) {
    throw_too_long();
  }
}

void CsvReader::throw_unterminated(const char* start, const char* open) const {
  // A record over the limit is reported as too long however the input was cut
  // into blocks: with small blocks that is found before the end of input is.
  check_partial_record();
  const std::size_t line = m_line + count_newlines(start, open);
  const char* line_start = start;
  for (const char* p = start; p < open; ++p) {
    if (*p == '\n') {
      line_start = p + 1;
    }
  }
  throw InputError(SourceLocation{m_source_name, line, distance(line_start, open) + 1},
                   "unterminated quoted field (the quote opened here is never closed)");
}

void CsvReader::throw_too_long() const {
  throw InputError(SourceLocation{m_source_name, m_line, 0},
                   "record is longer than " + std::to_string(m_options.max_record_bytes) +
                       " bytes (the limit); is a quote missing its closing quote?");
}

}  // namespace engine
