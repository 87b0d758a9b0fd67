// Cutting a CSV file held in memory into blocks of whole records, so that
// threads can read the blocks at once and still agree, record for record and
// line for line, with one reader going from the top.
//
// A cut is first guessed: just after the first line break past each multiple
// of the block size. A guess is wrong when that line break is inside a quoted
// field; then the reader of the block before runs past the guess. The blocks
// are checked in order: where a block's records did not end at the next guess
// (or at blank lines before it), the next block is read again from where they
// did end. So the cuts are always record boundaries, whatever the file holds.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/ordered_blocks.hpp>
#include <engine/errors.hpp>
#include <engine/mapped_file.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <string>
#include <vector>

namespace engine::detail {

// Whether `bytes` hold a NUL byte (one search of a whole record or block).
bool holds_nul(std::string_view bytes);

// Why a command that holds the list in memory stops at --max-rows.
std::string too_many_rows(std::size_t max_rows);

// No record of any block holds a NUL byte: the scan stops at the first that
// does (binary data), so the blocks' readers need not look again.
struct RecordBlocks {
  // Block i is the bytes [starts[i], starts[i + 1]); the last entry is the end.
  std::vector<std::size_t> starts;
  std::vector<std::size_t> lines;  // the line each block starts on
  std::size_t rows = 0;            // records in all blocks
  std::size_t size() const { return starts.size() - 1; }

  // Block i's bytes in `bytes` (the data the blocks were cut from).
  std::string_view block(std::string_view bytes, std::size_t i) const {
    return bytes.substr(starts[i], starts[i + 1] - starts[i]);
  }
  // A reader of block i, numbering lines as a reader from the top would.
  CsvReader reader(std::string_view bytes, std::size_t i, const std::string& source,
                   const CsvOptions& csv) const {
    return CsvReader(block(bytes, i), source, csv, CsvStart{lines[i], false});
  }
};

struct BlockScan {
  InputBytes input;
  std::string source_name;
  CsvOptions csv;
  std::size_t body_start = 0;  // just after the header record
  std::size_t body_line = 1;   // the line that is on
  std::size_t id_column = 0;   // whose values are checked for repeats
  std::size_t block_bytes = std::size_t{1} << 20;
  unsigned threads = 1;
  // More records than this (0: no limit) is an error at the first one over.
  std::size_t max_rows = 0;
};

// Reads every record once (in parallel): finds the blocks and the id hashes
// that may repeat. Throws InputError as CsvReader does (unterminated quote,
// record too long), naming the right line.
RecordBlocks scan_record_blocks(const BlockScan& scan, DuplicateCandidates& candidates);

// One block's records as read, and what was made of them (`Found`).
template <typename Found>
struct BlockRead {
  std::size_t start = 0;
  std::size_t end = 0;  // just after its last record
  // What its first line was numbered: a block read ahead on a guess starts at
  // 1, so `line_shift` (handed over with it) must be added to its lines.
  std::size_t first_line = 1;
  std::size_t newlines = 0;  // line breaks from start to end
  std::size_t rows = 0;
  std::exception_ptr error;  // kept, not thrown: a wrong guess can fail
  Found found;
};

// Blocks a reader asks for ahead of it, so that a file not in the page cache
// streams in while the blocks before are worked on, not a page at a time, each
// fault a wait: before block i of `count`, the blocks [first, last), which are
// block i + k_read_ahead_blocks (and all up to it before block 0). So every
// block is asked for once, k_read_ahead_blocks before it is read.
constexpr std::size_t k_read_ahead_blocks = 8;
struct BlockSpan {
  std::size_t first = 0;
  std::size_t last = 0;
};
inline BlockSpan blocks_to_read_ahead(std::size_t i, std::size_t count) {
  const std::size_t first = i == 0 ? 0 : i + k_read_ahead_blocks;
  const std::size_t last = std::min(i + k_read_ahead_blocks + 1, count);
  return {std::min(first, last), last};
}

// Asks for blocks_to_read_ahead(i, count) to be read; `start_of(j)` is block
// j's first byte, for j up to `count` (the end).
template <typename StartOf>
void read_ahead_of_block(const InputBytes& input, std::size_t i, std::size_t count,
                         StartOf&& start_of) {
  const BlockSpan ahead = blocks_to_read_ahead(i, count);
  if (ahead.first < ahead.last) {
    input.read_ahead(start_of(ahead.first), start_of(ahead.last) - start_of(ahead.first));
  }
}

// Byte from + i * block_bytes of `size` bytes, or `size` where that is past
// the end (or would not fit in a size_t).
std::size_t block_offset(std::size_t size, std::size_t from, std::size_t block_bytes,
                         std::size_t i);
// Guessed cut i of the bytes after `from` (see above): just after the first
// line feed from block_offset(..., i) on.
std::size_t guess_cut(std::string_view bytes, std::size_t from, std::size_t block_bytes,
                      std::size_t i);
// Whether `text` is only line breaks (blank lines, which readers skip).
bool only_blank_lines(std::string_view text);

// Reads the records that start in [start, limit), numbering lines from `line`,
// calling on_record(record, found) on each (the record says whether the
// reader saw a NUL byte in it: CsvRecord::may_hold_nul); `found`
// starts as given. Each record holds field `only_field` alone, or every field
// with CsvReader::k_every_field (CsvReader::next_field). More than
// `rows_left` records is an InputError at the first over.
template <typename Found, typename OnRecord>
BlockRead<Found> read_block(const BlockScan& scan, std::size_t start, std::size_t limit,
                            std::size_t line, std::size_t rows_left, Found found,
                            std::size_t only_field, OnRecord&& on_record) {
  BlockRead<Found> block;
  block.found = std::move(found);
  block.start = block.end = start;
  block.first_line = line;
  try {
    const std::string_view rest = scan.input.bytes.substr(start);
    CsvReader reader(rest, scan.source_name, scan.csv, CsvStart{line, false});
    CsvRecord record;
    for (;;) {
      const std::size_t before = reader.offset();
      const std::size_t line_before = reader.line();
      if (!reader.next_field(record, only_field) || start + record.offset >= limit) {
        block.end = start + before;
        block.newlines = line_before - line;
        break;
      }
      if (++block.rows > rows_left) {
        throw InputError({scan.source_name, record.line}, too_many_rows(scan.max_rows));
      }
      on_record(record, block.found);
    }
  } catch (...) {
    block.error = std::current_exception();
  }
  return block;
}

// Reads the records after the header in blocks, on scan.threads threads at
// once, and hands each block over in order on the calling thread:
// take(index, BlockRead&&, line_shift). A block is first read on a guess
// (guess_cut, lines numbered from 1) by read(start, limit, line, rows_left,
// worker), worker < scan.threads; where the guess was not where the records
// before really ended, or the read failed or went past --max-rows, it is read
// again from the right place with the right lines, by worker scan.threads on
// the calling thread, and an error then is the first in the file: thrown.
template <typename Found, typename Read, typename Take>
void read_record_blocks(const BlockScan& scan, Read&& read, Take&& take) {
  const std::string_view bytes = scan.input.bytes;
  const std::size_t block_bytes = std::max<std::size_t>(scan.block_bytes, 1);
  const std::size_t count = (bytes.size() - scan.body_start) / block_bytes + 1;
  const auto cut = [&](std::size_t i) { return guess_cut(bytes, scan.body_start, block_bytes, i); };
  std::size_t end = scan.body_start;  // where the records read so far end
  std::size_t line = scan.body_line;
  std::size_t rows = 0;
  run_in_block_order<BlockRead<Found>>(
      count, scan.threads, std::size_t{scan.threads} * 2,
      [&](std::size_t i, unsigned worker) {
        // The guesses ahead are not worked out: each would touch the page it is on.
        read_ahead_of_block(scan.input, i, count, [&](std::size_t j) {
          return block_offset(bytes.size(), scan.body_start, block_bytes, j);
        });
        return read(cut(i), cut(i + 1), std::size_t{1}, SIZE_MAX, worker);
      },
      [&](std::size_t i, BlockRead<Found> block) {
        const std::size_t guess = block.start;
        const bool aligned = end <= guess && only_blank_lines(bytes.substr(end, guess - end));
        std::size_t start_line = line;
        if (aligned) {
          start_line += static_cast<std::size_t>(
              std::count(bytes.begin() + static_cast<std::ptrdiff_t>(end),
                         bytes.begin() + static_cast<std::ptrdiff_t>(guess), '\n'));
        }
        const bool over_limit = scan.max_rows != 0 && rows + block.rows > scan.max_rows;
        if (!aligned || block.error || over_limit) {
          block = read(aligned ? guess : end, std::max(cut(i + 1), end), start_line,
                       scan.max_rows == 0 ? SIZE_MAX : scan.max_rows - rows, scan.threads);
          if (block.error) {
            std::rethrow_exception(block.error);
          }
        }
        rows += block.rows;
        end = block.end;
        line = start_line + block.newlines;
        const std::size_t from = block.start;
        const std::size_t to = block.end;
        const std::size_t line_shift = start_line - block.first_line;
        take(i, std::move(block), line_shift);
        scan.input.release(from, to - from);
      });
}

}  // namespace engine::detail
