// Tested by tests/unit/test_record_blocks.cpp.
#include <engine/detail/ordered_blocks.hpp>
#include <engine/detail/record_blocks.hpp>
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/text.hpp>

#include <algorithm>
#include <cstring>
#include <exception>

namespace engine::detail {

namespace {

// Guessed cut i: `from` for the first, then just after the first LF at or past
// from + i * block_bytes, or the end. Each block's thread finds its own, so
// the pages touched are the block's own: a mapped page stays in memory until
// released, and the kernel maps a file's pages in large pieces.
std::size_t guess_cut(std::string_view bytes, std::size_t from, std::size_t block_bytes,
                      std::size_t i) {
  if (i == 0) {
    return from;
  }
  if (from >= bytes.size() || i > (bytes.size() - from) / block_bytes) {
    return bytes.size();  // past the end (and no overflow for huge block sizes)
  }
  const std::size_t at = from + i * block_bytes;
  if (at >= bytes.size()) {
    return bytes.size();
  }
  const void* found = std::memchr(bytes.data() + at, '\n', bytes.size() - at);
  return found == nullptr
             ? bytes.size()
             : static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data()) + 1;
}

// Only LF and CRLF: blank lines, which readers skip.
bool only_blank_lines(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    }
    if (text[i] != '\n') {
      return false;
    }
  }
  return true;
}

struct ScannedBlock {
  std::size_t start = 0;
  std::size_t end = 0;       // just after its last record
  std::size_t newlines = 0;  // line breaks from start to end
  std::size_t rows = 0;
  std::vector<std::uint64_t> id_hashes;
  std::exception_ptr error;  // kept, not thrown: a wrong guess can fail
};

// Reads the records that start in [start, limit) from `line` on.
ScannedBlock scan_block(const BlockScan& scan, std::size_t start, std::size_t limit,
                        std::size_t line, std::size_t rows_left = SIZE_MAX) {
  ScannedBlock block;
  block.start = block.end = start;
  try {
    const std::string_view rest = scan.input.bytes.substr(start);
    // One search of the block for a NUL byte; records are searched only if it
    // has one (or for the last record's bytes past the block's end).
    const bool block_has_nul = limit > start && holds_nul(rest.substr(0, limit - start));
    CsvReader reader(rest, scan.source_name, scan.csv, CsvStart{line, false});
    CsvRecord record;
    for (;;) {
      const std::size_t before = reader.offset();
      const std::size_t line_before = reader.line();
      if (!reader.next(record) || start + record.offset >= limit) {
        block.end = start + before;
        block.newlines = line_before - line;
        break;
      }
      if (++block.rows > rows_left) {
        throw InputError({scan.source_name, record.line}, too_many_rows(scan.max_rows));
      }
      // Binary data stops the run where a reader from the top would meet it,
      // before a CSV error further down.
      const bool check = block_has_nul || start + record.offset + record.bytes.size() > limit;
      if (check && holds_nul(record.bytes)) {
        reject_binary(record.fields, record.line, scan.source_name);
      }
      const std::string_view id =
          scan.id_column < record.fields.size() ? trim(record.fields[scan.id_column]) : "";
      block.id_hashes.push_back(id_hash(id));
    }
  } catch (...) {
    block.error = std::current_exception();
  }
  return block;
}

}  // namespace

RecordBlocks scan_record_blocks(const BlockScan& scan, DuplicateCandidates& candidates) {
  const std::string_view bytes = scan.input.bytes;
  const std::size_t block_bytes = std::max<std::size_t>(scan.block_bytes, 1);
  const std::size_t count = (bytes.size() - scan.body_start) / block_bytes + 1;
  const auto cut = [&](std::size_t i) { return guess_cut(bytes, scan.body_start, block_bytes, i); };
  IdFilter filter(id_filter_bytes(bytes.size()));
  RecordBlocks blocks;
  std::size_t end = scan.body_start;  // where the records read so far end
  std::size_t line = scan.body_line;
  run_in_block_order<ScannedBlock>(
      count, scan.threads, std::size_t{scan.threads} * 2,
      [&](std::size_t i, unsigned) { return scan_block(scan, cut(i), cut(i + 1), 1); },
      [&](std::size_t i, ScannedBlock block) {
        const std::size_t guess = block.start;
        const bool aligned = end <= guess && only_blank_lines(bytes.substr(end, guess - end));
        std::size_t start_line = line;
        if (aligned) {
          start_line += static_cast<std::size_t>(
              std::count(bytes.begin() + static_cast<std::ptrdiff_t>(end),
                         bytes.begin() + static_cast<std::ptrdiff_t>(guess), '\n'));
        }
        const bool over_limit = scan.max_rows != 0 && blocks.rows + block.rows > scan.max_rows;
        if (!aligned || block.error || over_limit) {
          // Read again from where the records really end, with the right line
          // numbers and the rows left under the limit; an error then is real
          // (the first in the file), and is thrown here.
          block = scan_block(scan, aligned ? guess : end, std::max(cut(i + 1), end), start_line,
                             scan.max_rows == 0 ? SIZE_MAX : scan.max_rows - blocks.rows);
          if (block.error) {
            std::rethrow_exception(block.error);
          }
        }
        blocks.starts.push_back(block.start);
        blocks.lines.push_back(start_line);
        blocks.rows += block.rows;
        for (const std::uint64_t hash : block.id_hashes) {
          if (filter.add(hash)) {
            candidates.insert(hash);
          }
        }
        end = block.end;
        line = start_line + block.newlines;
        scan.input.release(block.start, block.end - block.start);
      });
  blocks.starts.push_back(bytes.size());
  return blocks;
}

}  // namespace engine::detail
