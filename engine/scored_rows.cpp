// Tested by tests/unit/test_score_job.cpp (rejects, duplicate ids, header errors)
// and tests/unit/test_waiting_list.cpp.
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/text.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <span>
#include <tuple>

namespace engine::detail {

namespace {

std::vector<std::string> read_header(CsvReader& reader, const std::string& source) {
  CsvRecord record;
  if (!reader.next(record)) {
    throw InputError({source}, "the file is empty; expected a header row");
  }
  return {record.fields.begin(), record.fields.end()};
}

// One header column that holds semicolons or tabs is a file written with
// another delimiter (Excel does this in many locales): say how to read it.
void reject_wrong_delimiter(const std::vector<std::string>& header, const std::string& source,
                            char delimiter) {
  if (header.size() != 1) {
    return;
  }
  for (const auto& [candidate, name, flag] :
       {std::tuple{';', "semicolon", "';'"}, {'\t', "tab", "tab"}, {'|', "pipe", "'|'"}}) {
    if (candidate != delimiter && header[0].find(candidate) != std::string::npos) {
      throw InputError({source, 1}, std::string("the header is a single column holding ") + name +
                                        "s: the file looks " + name +
                                        "-delimited; pass --delimiter " + flag);
    }
  }
}

// Header names must be unique (a column is found by its name) and, when the
// rule set's columns are appended, must not already include them.
const std::vector<std::string>& checked(const std::vector<std::string>& header,
                                        const RuleSet& rules, const std::string& source,
                                        bool appends_outputs, char delimiter) {
  std::vector<std::string_view> views(header.begin(), header.end());
  reject_binary(views, 1, source);
  reject_wrong_delimiter(header, source, delimiter);
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name(trim(header[i]));
    if (name.empty()) {
      continue;
    }
    const auto [previous, inserted] = seen.emplace(name, i + 1);
    if (!inserted) {
      throw InputError({source, 1}, "column " + quote(name) +
                                        " appears twice in the header (columns " +
                                        std::to_string(previous->second) + " and " +
                                        std::to_string(i + 1) + ")");
    }
  }
  for (const auto& output : rules.outputs) {
    if (appends_outputs && seen.count(output.column) != 0) {
      throw InputError({source, 1}, "the input already has a column " + quote(output.column) +
                                        ", which rule set " + rules.name +
                                        " writes; remove or rename it (is this file already "
                                        "scored?)");
    }
  }
  return header;
}

[[noreturn]] void throw_nul(std::size_t line, const std::string& source) {
  throw InputError({source, line},
                   "a NUL byte: this is binary data, not CSV text; save "
                   "the file from the spreadsheet as 'CSV UTF-8'");
}

}  // namespace

bool holds_nul(std::string_view bytes) {
  return std::memchr(bytes.data(), '\0', bytes.size()) != nullptr;
}

// Binary data is not a CSV file with odd values: stop at once and say what it
// probably is. A NUL byte never occurs in text; a ZIP signature is an .xlsx file.
void reject_binary(std::span<const std::string_view> fields, std::size_t line,
                   const std::string& source) {
  if (line == 1 && !fields.empty() && fields[0].substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    throw InputError({source, 1},
                     "this is a ZIP file (an Excel .xlsx workbook?), not CSV; "
                     "save it from the spreadsheet as 'CSV UTF-8'");
  }
  for (const auto field : fields) {
    if (field.find('\0') != std::string_view::npos) {
      throw_nul(line, source);
    }
  }
}

void reject_binary_record(const CsvRecord& record, bool may_hold_nul, const std::string& source) {
  // (A ZIP signature can only be on line 1, the header, checked when read.)
  // A NUL in the record's bytes is in one of its fields (delimiters, quotes
  // and line endings are not NULs), so the bytes say it even of a record read
  // for one field (CsvReader::next_field).
  if (may_hold_nul && record.may_hold_nul && holds_nul(record.bytes)) {
    throw_nul(record.line, source);
  }
}

bool score_record(const CsvRecord& record, std::size_t header_size, Scorer& scorer,
                  const std::string& source, RejectedRow& rejected, bool may_hold_nul) {
  reject_binary_record(record, may_hold_nul, source);
  if (record.fields.size() != header_size) {
    rejected = {record.line, "", "",
                "the row has " + std::to_string(record.fields.size()) + " fields; the header has " +
                    std::to_string(header_size)};
    return false;
  }
  RowProblem problem;
  if (scorer.evaluate(record.fields, problem)) {
    return true;
  }
  rejected = {record.line, std::string(scorer.id()), problem.column, problem.reason};
  return false;
}

SetAsideRow::SetAsideRow(std::string_view bytes, std::size_t line, const std::string& source,
                         const CsvOptions& csv, std::size_t header_size, Scorer& scorer)
    : m_reader(bytes, source, csv, CsvStart{line, false}) {
  m_reader.next(m_record);
  RejectedRow unused;
  score_record(m_record, header_size, scorer, source, unused);
}

BlockScan BoundInput::block_scan(std::size_t block_bytes, std::size_t max_rows) const {
  const std::size_t id_column = scorers.front()->column_index(rules.id_input().name).value_or(0);
  return {input,       source,  csv,     header_reader.offset(), header_reader.line(), id_column,
          block_bytes, threads, max_rows};
}

RecordBlocks BoundInput::scan(std::size_t block_bytes, std::size_t max_rows,
                              DuplicateCandidates& candidates) const {
  return scan_record_blocks(block_scan(block_bytes, max_rows), candidates);
}

BoundInput::BoundInput(const InputBytes& input_, const std::string& source_, const CsvOptions& csv_,
                       const RuleSet& rules_, Date as_of, bool appends_outputs,
                       unsigned requested_threads, std::size_t block_bytes)
    : input(input_),
      source(source_),
      csv(csv_),
      rules(rules_),
      header_reader(input.bytes, source, csv),
      header(read_checked_header(header_reader, rules, source, appends_outputs, csv.delimiter)),
      threads(worker_threads(requested_threads)) {
  const std::size_t body = input.bytes.size() - header_reader.offset();
  const std::size_t blocks = body / std::max<std::size_t>(block_bytes, 1) + 1;
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, blocks));
  for (unsigned i = 0; i <= threads; ++i) {
    scorers.push_back(std::make_unique<Scorer>(rules, header, source, as_of));
  }
}

std::string too_many_rows(std::size_t max_rows) {
  return "more than " + std::to_string(max_rows) +
         " rows (the limit, --max-rows): this command holds the list in "
         "memory; raise the limit, or use 'score', which streams";
}

RejectedRow duplicate_id(const RuleSet& rules, const Scorer& scorer, std::size_t line,
                         std::size_t first_line) {
  return {line, std::string(scorer.id()), rules.id_input().column,
          "duplicate id " + quote(scorer.id()) + " (first seen on row " +
              std::to_string(first_line) + ")"};
}

std::vector<std::string> read_checked_header(CsvReader& reader, const RuleSet& rules,
                                             const std::string& source, bool appends_outputs,
                                             char delimiter) {
  std::vector<std::string> header = read_header(reader, source);
  checked(header, rules, source, appends_outputs, delimiter);
  return header;
}

ScoredRows::ScoredRows(std::istream& input, const std::string& source_name, const CsvOptions& csv,
                       const RuleSet& rules, Date as_of, bool appends_outputs)
    : m_reader(input, source_name, csv),
      m_header(read_checked_header(m_reader, rules, source_name, appends_outputs, csv.delimiter)),
      m_scorer(rules, m_header, source_name, as_of),
      m_rules(rules),
      m_source(source_name),
      m_max_rows(csv.max_rows) {}

bool ScoredRows::next(CsvRecord& record, bool& scored, RejectedRow& rejected) {
  if (!m_reader.next(record)) {
    if (m_rows_read == 0) {
      throw InputError({m_source}, "the file has a header but no referral rows");
    }
    return false;
  }
  if (m_max_rows != 0 && m_rows_read == m_max_rows) {
    throw InputError({m_source, record.line}, too_many_rows(m_max_rows));
  }
  ++m_rows_read;
  scored = false;
  if (!score_record(record, m_header.size(), m_scorer, m_source, rejected)) {
    return true;
  }
  if (const auto first = m_seen_ids.add(m_scorer.id(), record.line)) {
    rejected = duplicate_id(m_rules, m_scorer, record.line, *first);
  } else {
    scored = true;
  }
  return true;
}

}  // namespace engine::detail
