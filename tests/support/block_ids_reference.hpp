// What engine::detail::read_block_ids stands in for, record by record: the
// CsvReader reading field scan.id_column of each record (read_block), a NUL
// refused as reject_binary_record refuses it, and the trimmed id hashed. The
// unit test and the CSV fuzzer compare the two. Header-only, as the fuzz
// targets are.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/detail/block_ids.hpp>
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/record_blocks.hpp>
#include <engine/detail/scored_rows.hpp>
#include <engine/text.hpp>

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>

namespace tests {

inline engine::detail::BlockRead<engine::detail::IdHashes> ids_read_by_csv_reader(
    const engine::detail::BlockScan& scan, std::size_t start, std::size_t limit, std::size_t line,
    std::size_t rows_left) {
  using engine::detail::IdHashes;
  return engine::detail::read_block<IdHashes>(
      scan, start, limit, line, rows_left, IdHashes{}, scan.id_column,
      [&](const engine::CsvRecord& record, IdHashes& hashes) {
        engine::detail::reject_binary_record(record, true, scan.source_name);
        hashes.push_back(engine::detail::id_hash(
            record.fields.empty() ? std::string_view{} : engine::trim(record.fields[0])));
      });
}

// An error's message ("" for none), so that two errors compare word for word.
inline std::string error_text(const std::exception_ptr& error) {
  if (!error) {
    return "";
  }
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  }
}

// Whether two reads of a block agree: the same error, or (when none) the
// same end, lines, rows and hashes. A failed block's other values are not
// used: it is read again or thrown.
inline bool same_block_ids(const engine::detail::BlockRead<engine::detail::IdHashes>& read,
                           const engine::detail::BlockRead<engine::detail::IdHashes>& expected) {
  if (error_text(read.error) != error_text(expected.error)) {
    return false;
  }
  return expected.error ||
         (read.start == expected.start && read.end == expected.end &&
          read.first_line == expected.first_line && read.newlines == expected.newlines &&
          read.rows == expected.rows && read.found == expected.found);
}

}  // namespace tests
