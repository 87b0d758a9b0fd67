// Tested by tests/unit/test_score_job.cpp (rejects, duplicate ids, header errors)
// and tests/unit/test_waiting_list.cpp.
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/text.hpp>

#include <map>

namespace engine::detail {

namespace {

std::vector<std::string> read_header(CsvReader& reader, const std::string& source) {
  CsvRecord record;
  if (!reader.next(record)) {
    throw InputError({source}, "the file is empty; expected a header row");
  }
  return {record.fields.begin(), record.fields.end()};
}

// Header names must be unique (a column is found by its name) and, when the
// rule set's columns are appended, must not already include them.
const std::vector<std::string>& checked(const std::vector<std::string>& header,
                                        const RuleSet& rules, const std::string& source,
                                        bool appends_outputs) {
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

}  // namespace

ScoredRows::ScoredRows(std::istream& input, const std::string& source_name, const CsvOptions& csv,
                       const RuleSet& rules, Date as_of, bool appends_outputs)
    : m_reader(input, source_name, csv),
      m_header(read_header(m_reader, source_name)),
      m_scorer(rules, checked(m_header, rules, source_name, appends_outputs), source_name, as_of),
      m_rules(rules) {}

bool ScoredRows::next(CsvRecord& record, bool& scored, RejectedRow& rejected) {
  if (!m_reader.next(record)) {
    return false;
  }
  ++m_rows_read;
  scored = false;
  RowProblem problem;
  if (record.fields.size() != m_header.size()) {
    rejected = {record.line, "", "",
                "the row has " + std::to_string(record.fields.size()) + " fields; the header has " +
                    std::to_string(m_header.size())};
    return true;
  }
  if (m_scorer.evaluate(record.fields, problem)) {
    const auto [first, inserted] =
        m_first_line_of_id.emplace(std::string(m_scorer.id()), record.line);
    if (inserted) {
      scored = true;
      return true;
    }
    problem = {m_rules.id_input().column, "duplicate id " + quote(m_scorer.id()) +
                                              " (first seen on row " +
                                              std::to_string(first->second) + ")"};
  }
  rejected = {record.line, std::string(m_scorer.id()), problem.column, problem.reason};
  return true;
}

}  // namespace engine::detail
