// Batch scoring: read a referral CSV, score every row with a rule set, write the
// input columns unchanged followed by the rule set's output columns. Rows that
// cannot be scored go to a rejects stream with their reason; none is lost.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/rule_set.hpp>

#include <cstddef>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace engine {

enum class OutputFormat { csv, json };

// A row that could not be scored.
struct RejectedRow {
  std::size_t line = 0;  // the line its record starts on
  std::string id;        // the referral id, if it had one
  std::string column;    // the column at fault, or empty
  std::string reason;
};

// "column 'Mobility': 'Walks' is not a known value; ...", or the reason alone
// when no single column is at fault: how every output words a row's problem.
std::string describe_problem(const std::string& column, const std::string& reason);
inline std::string describe_problem(const RejectedRow& row) {
  return describe_problem(row.column, row.reason);
}

struct ScoreRequest {
  const RuleSet* rules = nullptr;  // required
  Date as_of;
  std::string input_name = "<stdin>";  // for messages
  OutputFormat format = OutputFormat::csv;
  CsvOptions csv;
  // Called once per rejected row, in input order (the CLI logs them).
  std::function<void(const RejectedRow&)> on_reject;
  // Called once per warning on a row that was still scored (a failed warning check).
  std::function<void(const RejectedRow&)> on_warning;
};

struct ScoreReport {
  std::size_t rows_read = 0;
  std::size_t scored = 0;
  std::size_t rejected = 0;
  std::size_t warnings = 0;  // failed warning checks on scored rows
};

// Scores `input` into `output` (CSV or JSON as requested). Rejected rows are
// written to `rejects` as CSV (the original fields, then Reject Row, Reject
// Column, Reject Reason) when it is not null. Throws InputError when the file as
// a whole cannot be scored (no header, a required column missing, duplicated
// header names, an unterminated quote).
ScoreReport score_referrals(const ScoreRequest& request, std::istream& input, std::ostream& output,
                            std::ostream* rejects);

}  // namespace engine
