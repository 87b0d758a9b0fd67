// Reading a referral file row by row, scored: the header checked and bound to
// the rule set once, then each record either scored or rejected with its reason
// (wrong field count, a bad value, a duplicate id). Shared by batch scoring and
// the in-memory waiting list so both apply exactly the same checks.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>
#include <engine/scorer.hpp>

#include <istream>
#include <string>
#include <unordered_map>
#include <vector>

namespace engine::detail {

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
  std::unordered_map<std::string, std::size_t> m_first_line_of_id;
  std::size_t m_rows_read = 0;
};

}  // namespace engine::detail
