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
#include <engine/mapped_file.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace engine::detail {

struct RecordBlocks {
  // Block i is the bytes [starts[i], starts[i + 1]); the last entry is the end.
  std::vector<std::size_t> starts;
  std::vector<std::size_t> lines;  // the line each block starts on
  std::size_t rows = 0;            // records in all blocks
  // No record of any block holds a NUL byte: the scan stops at the first that
  // does (binary data), so the blocks' readers need not look again.
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

}  // namespace engine::detail
