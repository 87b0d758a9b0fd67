// Tested by tests/unit/test_record_blocks.cpp.
#include <engine/detail/block_ids.hpp>
#include <engine/detail/ordered_blocks.hpp>
#include <engine/detail/record_blocks.hpp>

#include <cstring>

namespace engine::detail {

std::size_t block_offset(std::size_t size, std::size_t from, std::size_t block_bytes,
                         std::size_t i) {
  if (from >= size || i > (size - from) / block_bytes) {
    return size;  // past the end (and no overflow for huge block sizes)
  }
  return from + i * block_bytes;
}

std::size_t guess_cut(std::string_view bytes, std::size_t from, std::size_t block_bytes,
                      std::size_t i) {
  // Each block's thread finds its own cut, so the pages touched are the
  // block's own: a mapped page stays in memory until released, and the kernel
  // maps a file's pages in large pieces.
  if (i == 0) {
    return from;
  }
  const std::size_t at = block_offset(bytes.size(), from, block_bytes, i);
  if (at >= bytes.size()) {
    return bytes.size();
  }
  const void* found = std::memchr(bytes.data() + at, '\n', bytes.size() - at);
  return found == nullptr
             ? bytes.size()
             : static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data()) + 1;
}

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

RecordBlocks scan_record_blocks(const BlockScan& scan, DuplicateCandidates& candidates) {
  IdFilter filter(id_filter_bytes(scan.input.bytes.size()));
  WaitingIdHashes waiting(filter, candidates);
  RecordBlocks blocks;
  read_record_blocks<IdHashes>(
      scan,
      [&](std::size_t start, std::size_t limit, std::size_t line, std::size_t rows_left, unsigned) {
        waiting.add_one();
        // The id is the only field this pass needs of a record.
        return read_block_ids(scan, start, limit, line, rows_left);
      },
      [&](std::size_t, BlockRead<IdHashes> block, std::size_t line_shift) {
        blocks.starts.push_back(block.start);
        blocks.lines.push_back(block.first_line + line_shift);
        blocks.rows += block.rows;
        waiting.hand_over(std::move(block.found));
      });
  waiting.add_all();
  blocks.starts.push_back(scan.input.bytes.size());
  return blocks;
}

}  // namespace engine::detail
