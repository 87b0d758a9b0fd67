// Tested by tests/unit/test_block_ids.cpp (against read_block, record by record)
// and, through scan_record_blocks, by tests/unit/test_record_blocks.cpp.
#include <engine/detail/block_ids.hpp>
#include <engine/detail/byte_masks.hpp>
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/scored_rows.hpp>
#include <engine/text.hpp>

#include <algorithm>

namespace engine::detail {

namespace {

// As the first pass has always read a record: its id's hash, and binary data
// stops the run where a reader from the top would meet it.
void add_id(const CsvRecord& record, IdHashes& hashes, const std::string& source) {
  reject_binary_record(record, true, source);
  hashes.push_back(id_hash(record.fields.empty() ? "" : trim(record.fields[0])));
}

// Records read by the CsvReader in a row once one needs it, before the masks
// are tried again: one at first, twice as many each time the masks then read
// only a few, so a file whose records are mostly not simple costs about what
// the reader alone would.
constexpr std::size_t k_longest_general_run = 1024;
constexpr std::size_t k_short_simple_run = 8;

// Records read from the masks: they end at `end`, `newlines` line feeds after
// where the run started. `done` when the next record starts at or after the
// limit; otherwise the record at `end` (after any blank lines) is the
// CsvReader's to read.
struct SimpleRun {
  bool done = false;
  std::size_t end = 0;
  std::size_t newlines = 0;
  std::size_t rows = 0;
};

#if defined(__SSE2__)

// A simple record spans at most this many chunks of 64 bytes (4 KiB); a longer
// one is left to the CsvReader.
constexpr std::size_t k_ring_chunks = 64;

// A chunk's bytes, quotes paired.
struct Chunk {
  ChunkBits bytes;
  std::uint64_t inside = 0;
  std::uint64_t delimiters() const { return bytes.delimiters & ~inside; }  // outside quotes
  std::uint64_t ends() const { return bytes.feeds & ~inside; }             // records' line feeds
};

// What the records in a chunk need of it. (No initialisers: a run writes each
// chunk's before it reads them.)
struct ChunkFacts {
  std::uint64_t delimiters;  // outside quotes
  // An opening quote not a field's first byte (nor the second of a doubled
  // quote): there the CsvReader keeps quotes literally, so it is left to it. A
  // closing quote before the field's end needs no such care: after it both
  // read on outside quotes (the CsvReader keeps the text literally), and an
  // id holding it is left to the CsvReader (see below).
  std::uint64_t bad_quotes;
  std::uint64_t quoted_feeds;  // line feeds inside quotes (lines, not records)
  bool nul;
};

// The bits of the chunk at `base` for the bytes [from, to), where from < base + 64
// and to > base.
std::uint64_t bits_between(std::size_t base, std::size_t from, std::size_t to) {
  const std::size_t low = from > base ? from - base : 0;
  const std::size_t high = std::min<std::size_t>(to - base, 64);
  const std::uint64_t below_high = high == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << high) - 1;
  return below_high & ~((std::uint64_t{1} << low) - 1);
}

SimpleRun read_simple_records(const BlockScan& scan, std::size_t from, std::size_t limit,
                              std::size_t rows_left, IdHashes& hashes) {
  const std::string_view bytes = scan.input.bytes;
  const char* const data = bytes.data();
  const char delimiter = scan.csv.delimiter;
  const std::size_t column = scan.id_column;
  // A longer record may hold a field over the limit, or be over the record
  // limit: the CsvReader says which.
  const std::size_t longest = std::min(scan.csv.max_field_bytes, scan.csv.max_record_bytes);
  SimpleRun run;
  run.end = from;
  ChunkFacts ring[k_ring_chunks];
  std::size_t record = from;       // where the next record (or blank line) starts
  std::size_t lines = 0;           // line feeds from `from` to `record`
  std::uint64_t inside_carry = 0;  // all ones when the chunk starts inside quotes
  std::uint64_t starts_carry = 1;  // bit 0 of the chunk is a field's first byte
  std::uint64_t closer_carry = 0;  // the chunk before ended with a closing quote
  const auto load = [&](std::size_t at, std::uint64_t carry) {
    Chunk chunk;
    chunk.bytes = chunk_bits(data + at, delimiter);
    chunk.inside = inside_quotes(chunk.bytes.quotes, carry);
    return chunk;
  };
  for (std::size_t k = 0;; ++k) {
    const std::size_t base = from + 64 * k;
    const std::size_t first = (record - from) / 64;  // the chunk the record starts in
    if (bytes.size() - base < 64 || first + k_ring_chunks <= k) {
      return run;  // too near the end of the data, or the record too long
    }
    const Chunk chunk = load(base, inside_carry);
    inside_carry = std::uint64_t{0} - (chunk.inside >> 63);
    const std::uint64_t delimiters = chunk.delimiters();
    const std::uint64_t ends = chunk.ends();
    // A field's first byte follows a delimiter or a line feed.
    const std::uint64_t firsts = ((delimiters | ends) << 1) | starts_carry;
    starts_carry = (delimiters | ends) >> 63;
    // A doubled quote inside a quoted field pairs as a closing quote and an
    // opening one just after it, which is not out of place.
    const std::uint64_t openers = chunk.bytes.quotes & chunk.inside;
    const std::uint64_t closers = chunk.bytes.quotes & ~chunk.inside;
    const std::uint64_t doubled_openers = openers & ((closers << 1) | closer_carry);
    closer_carry = closers >> 63;
    ChunkFacts& facts = ring[k % k_ring_chunks];
    facts.delimiters = delimiters;
    facts.bad_quotes = openers & ~firsts & ~doubled_openers;
    facts.quoted_feeds = chunk.bytes.feeds & chunk.inside;
    facts.nul = chunk.bytes.nul;
    for (std::uint64_t pending = ends; pending != 0; pending &= pending - 1) {
      const std::size_t feed = base + static_cast<std::size_t>(__builtin_ctzll(pending));
      if (feed == record || (feed == record + 1 && data[record] == '\r')) {
        ++lines;  // a blank line, skipped as CsvReader::skip_blank_lines does
        record = feed + 1;
        continue;
      }
      const std::size_t first_chunk = (record - from) / 64;
      if (feed - record > longest) {
        return run;
      }
      std::size_t quoted_feeds = 0;
      for (std::size_t j = first_chunk; j <= k; ++j) {
        const ChunkFacts& f = ring[j % k_ring_chunks];
        const std::uint64_t mine = bits_between(from + 64 * j, record, feed);
        if (f.nul || (f.bad_quotes & mine) != 0) {
          return run;
        }
        if ((f.quoted_feeds & mine) != 0) {
          quoted_feeds += count_bits(f.quoted_feeds & mine);
        }
      }
      // As read_block: a record read, then the limit, then the row count.
      if (record >= limit) {
        run.done = true;
        return run;
      }
      if (run.rows >= rows_left) {
        return run;  // the CsvReader's record says where
      }
      // Field `column`: between delimiter `column` - 1 and delimiter `column`.
      const std::size_t content_end = data[feed - 1] == '\r' ? feed - 1 : feed;
      std::size_t field_begin = record;
      std::size_t field_end = content_end;
      std::size_t passed = 0;  // delimiters
      bool found_end = false;
      for (std::size_t j = first_chunk; j <= k && !found_end; ++j) {
        const std::size_t chunk_base = from + 64 * j;
        for (std::uint64_t d =
                 ring[j % k_ring_chunks].delimiters & bits_between(chunk_base, record, feed);
             d != 0; d &= d - 1) {
          const std::size_t at = chunk_base + static_cast<std::size_t>(__builtin_ctzll(d));
          if (passed == column) {
            field_end = at;
            found_end = true;
            break;
          }
          field_begin = at + 1;
          ++passed;
        }
      }
      std::string_view id;
      if (passed == column) {
        id = std::string_view(data + field_begin, field_end - field_begin);
        if (!id.empty() && id.front() == '"') {
          id = id.substr(1, id.size() - 2);  // a simple record's quotes close at its end
          if (id.find('"') != std::string_view::npos) {
            return run;  // a doubled quote: the CsvReader makes the id
          }
        }
        id = trim(id);
      }
      hashes.push_back(id_hash(id));
      lines += 1 + quoted_feeds;
      ++run.rows;
      record = feed + 1;
      run.end = record;
      run.newlines = lines;
    }
  }
}

#else

SimpleRun read_simple_records(const BlockScan&, std::size_t from, std::size_t, std::size_t,
                              IdHashes&) {
  return {false, from, 0, 0};
}

#endif

}  // namespace

BlockRead<IdHashes> read_block_ids(const BlockScan& scan, std::size_t start, std::size_t limit,
                                   std::size_t line, std::size_t rows_left) {
  const char delimiter = scan.csv.delimiter;
  const std::string& source = scan.source_name;
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
    // Such a delimiter could not be told from the bytes the masks are of.
    return read_block<IdHashes>(
        scan, start, limit, line, rows_left, IdHashes{}, scan.id_column,
        [&](const CsvRecord& record, IdHashes& hashes) { add_id(record, hashes, source); });
  }
  BlockRead<IdHashes> block;
  block.start = block.end = start;
  block.first_line = line;
  try {
    std::size_t general_run = 1;
    for (;;) {
      const SimpleRun run =
          read_simple_records(scan, block.end, limit, rows_left - block.rows, block.found);
      block.rows += run.rows;
      block.end = run.end;
      block.newlines += run.newlines;
      if (run.done) {
        break;
      }
      general_run =
          run.rows < k_short_simple_run ? std::min(general_run * 2, k_longest_general_run) : 1;
      // The CsvReader reads from the end of the last record, as read_block's
      // would be there: blank lines, then a record it may refuse.
      const std::size_t from = block.end;
      const std::size_t from_line = line + block.newlines;
      CsvReader reader(scan.input.bytes.substr(from), source, scan.csv, CsvStart{from_line, false});
      CsvRecord record;
      bool stop = false;
      for (std::size_t i = 0; i < general_run; ++i) {
        const std::size_t before = reader.offset();
        if (!reader.next_field(record, scan.id_column) || from + record.offset >= limit) {
          stop = true;
          block.end = from + before;
          break;
        }
        if (++block.rows > rows_left) {
          throw InputError({source, record.line}, too_many_rows(scan.max_rows));
        }
        add_id(record, block.found, source);
        block.end = from + reader.offset();
        block.newlines = reader.line() - line;
      }
      if (stop) {
        break;
      }
    }
  } catch (...) {
    block.error = std::current_exception();
  }
  return block;
}

}  // namespace engine::detail
