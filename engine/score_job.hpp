// Batch scoring: read a referral CSV, score every row with a rule set, write the
// input columns unchanged followed by the rule set's output columns. Rows that
// cannot be scored go to a rejects stream with their reason; none is lost.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/mapped_file.hpp>
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

// How far a long run has got, for a progress display.
struct Progress {
  std::size_t rows = 0;         // rows read so far
  std::size_t bytes_done = 0;   // of the input
  std::size_t bytes_total = 0;  // 0 when not known (a stream)
};

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
  // Called as the work goes on (about every megabyte of input), on the calling thread.
  std::function<void(const Progress&)> on_progress;
  // Threads that read and score input held in memory; 0 for one per core. The
  // output is the same, byte for byte, whatever the number.
  unsigned threads = 0;
  // Input held in memory is cut into blocks of about this many bytes.
  std::size_t block_bytes = std::size_t{1} << 20;
};

// The threads a request's `threads` asks for: itself, or the core count for 0.
unsigned worker_threads(unsigned requested);

// How long each pass over the input took, in seconds of wall time: where a
// long run's time went, for -v.
struct ScoreTimings {
  // Cutting input held in memory into blocks and finding the ids that may
  // repeat (0 for a stream, which is read once).
  double scan = 0;
  double score = 0;  // scoring the rows and writing them out
};

struct ScoreReport {
  std::size_t rows_read = 0;
  std::size_t scored = 0;
  std::size_t rejected = 0;
  std::size_t warnings = 0;  // failed warning checks on scored rows
  ScoreTimings timings;
};

// Scores `input` into `output` (CSV or JSON as requested). Rejected rows are
// written to `rejects` as CSV (the original fields, then Reject Row, Reject
// Column, Reject Reason) when it is not null. Throws InputError when the file as
// a whole cannot be scored (no header, a required column missing, duplicated
// header names, an unterminated quote).
// Reads the stream once, front to back, on the calling thread.
ScoreReport score_referrals(const ScoreRequest& request, std::istream& input, std::ostream& output,
                            std::ostream* rejects);
// The same for input held in memory (a mapped file), read by request.threads
// threads. Memory stays flat whatever the input size: the input is read in
// blocks whose pages are given back, and results are written out in order.
ScoreReport score_referrals(const ScoreRequest& request, const InputBytes& input,
                            std::ostream& output, std::ostream* rejects);

}  // namespace engine
