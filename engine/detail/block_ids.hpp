// The first pass over a mapped file reads each record only for where it ends
// and for its id. Most records are simple (each field quoted whole or not at
// all, no NUL byte): those are found from bit masks of the block's bytes, 64 at
// a time, so each byte is classified once however the records fall across the
// masks. Any other record is read by a CsvReader, so the blocks, the hashes and
// any error are exactly what read_block(..., scan.id_column, ...) makes of them.
#pragma once

#include <engine/detail/record_blocks.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace engine::detail {

using IdHashes = std::vector<std::uint64_t>;

// Reads the records that start in [start, limit) of scan.input.bytes as
// read_block does with only_field scan.id_column, adding each record's trimmed
// id's hash (id_hash) to `found` in order. A record holding a NUL byte is an
// error (binary data), as reject_binary_record makes it.
BlockRead<IdHashes> read_block_ids(const BlockScan& scan, std::size_t start, std::size_t limit,
                                   std::size_t line, std::size_t rows_left);

}  // namespace engine::detail
