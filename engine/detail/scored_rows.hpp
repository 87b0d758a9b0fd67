// Reading a referral file row by row, scored: the header checked and bound to
// the rule set once, then each record either scored or rejected with its reason
// (wrong field count, a bad value, a duplicate id). Shared by batch scoring and
// the in-memory waiting list so both apply exactly the same checks.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/detail/record_blocks.hpp>
#include <engine/mapped_file.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>
#include <engine/scorer.hpp>

#include <istream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace engine::detail {

// Stops at once on binary data (a NUL byte; a ZIP file's signature on line 1):
// throws InputError saying what the file probably is.
void reject_binary(std::span<const std::string_view> fields, std::size_t line,
                   const std::string& source);
// The same for one record of the rows, from its bytes: one search, none when
// `may_hold_nul` is false (the record is known to have no NUL byte) or the
// reader found none (record.may_hold_nul).
void reject_binary_record(const CsvRecord& record, bool may_hold_nul, const std::string& source);

// The checks of one record, short of repeated ids: binary data (thrown), the
// field count, then the rule set's own. Returns whether `scorer` now holds the
// row's values; if not, `rejected` says why.
// `may_hold_nul`: false when the caller knows the record has no NUL byte (an
// earlier pass over the file found none).
bool score_record(const CsvRecord& record, std::size_t header_size, Scorer& scorer,
                  const std::string& source, RejectedRow& rejected, bool may_hold_nul = true);

// The line each id was first seen on: a row that scores is a duplicate when
// an earlier row that scored had its id.
class SeenIds {
 public:
  // Notes `id` as seen on `line`, unless it was seen before: then returns the
  // line it was first seen on.
  std::optional<std::size_t> add(std::string_view id, std::size_t line) {
    const auto [first, inserted] = m_first_line.emplace(std::string(id), line);
    return inserted ? std::nullopt : std::optional(first->second);
  }

 private:
  std::unordered_map<std::string, std::size_t> m_first_line;
};

// A row a block set aside (its id may repeat), read and scored again in its
// turn; it scored before, so it scores again. Keeps the record's fields alive.
class SetAsideRow {
 public:
  SetAsideRow(std::string_view bytes, std::size_t line, const std::string& source,
              const CsvOptions& csv, std::size_t header_size, Scorer& scorer);
  const CsvRecord& record() const { return m_record; }

 private:
  CsvReader m_reader;
  CsvRecord m_record;
};

// A file held in memory, made ready for reading by several threads: its header
// read and checked, and a Scorer for each of `threads` worker threads plus one
// more (the last) for the thread that takes their results in order. There are
// no more workers than the file has blocks of `block_bytes`: each Scorer binds
// the rule set when it is made (tabulating its formulas), which for a daily
// list costs more than scoring it.
struct BoundInput {
  BoundInput(const InputBytes& input, const std::string& source, const CsvOptions& csv,
             const RuleSet& rules, Date as_of, bool appends_outputs, unsigned requested_threads,
             std::size_t block_bytes);

  // Cuts the records after the header into blocks (scan_record_blocks), and
  // finds the ids that may repeat.
  RecordBlocks scan(std::size_t block_bytes, std::size_t max_rows,
                    DuplicateCandidates& candidates) const;
  // The records after the header, for reading in blocks (read_record_blocks).
  BlockScan block_scan(std::size_t block_bytes, std::size_t max_rows) const;

  const InputBytes& input;
  const std::string& source;
  const CsvOptions& csv;
  const RuleSet& rules;
  CsvReader header_reader;  // positioned just after the header
  std::vector<std::string> header;
  unsigned threads;
  std::vector<std::unique_ptr<Scorer>> scorers;
};

// The rejection of a scored row whose id was seen on `first_line` already.
RejectedRow duplicate_id(const RuleSet& rules, const Scorer& scorer, std::size_t line,
                         std::size_t first_line);

// A referral file's header, read and checked: names unique, no binary data,
// the delimiter plausible and, when the rule set's output columns are
// appended, none of them there already. Throws InputError.
std::vector<std::string> read_checked_header(CsvReader& reader, const RuleSet& rules,
                                             const std::string& source, bool appends_outputs,
                                             char delimiter);

class ScoredRows {
 public:
  // Reads and checks the header. `appends_outputs`: the caller writes the rule
  // set's output columns after the input's, so they must not be there already.
  // Throws InputError (empty file, duplicated header, missing columns).
  ScoredRows(std::istream& input, const std::string& source_name, const CsvOptions& csv,
             const RuleSet& rules, Date as_of, bool appends_outputs);

  // Reads the next row into `record`. Returns false at the end of the input.
  // Otherwise `scored` says whether scorer() now holds the row's values; if not,
  // `rejected` says why.
  bool next(CsvRecord& record, bool& scored, RejectedRow& rejected);

  const std::vector<std::string>& header() const { return m_header; }
  const CsvReader& reader() const { return m_reader; }
  const Scorer& scorer() const { return m_scorer; }
  std::size_t rows_read() const { return m_rows_read; }

 private:
  CsvReader m_reader;
  std::vector<std::string> m_header;
  Scorer m_scorer;
  const RuleSet& m_rules;
  std::string m_source;
  std::size_t m_max_rows;
  SeenIds m_seen_ids;
  std::size_t m_rows_read = 0;
};

}  // namespace engine::detail
