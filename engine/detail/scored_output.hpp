// How scored and rejected rows are written, as text appended to a buffer: the
// rows of one block are rendered by the thread that scored them, and the
// buffers are written out in order. JSON rows each begin with ",\n    "; the
// writer of the file drops the first comma.
#pragma once

#include <engine/csv_writer.hpp>
#include <engine/detail/row_buffer.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>
#include <engine/scorer.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine::detail {

// `text` as a JSON string; invalid UTF-8 is replaced, never a reason to fail.
void append_json_string(std::string& out, std::string_view text);
std::string json_string(std::string_view text);

// What every block's rows share: the format, the CSV conventions, the columns.
struct OutputShape {
  OutputShape(OutputFormat format, CsvWriterOptions csv, std::span<const std::string> header,
              const RuleSet& rules);

  OutputFormat format;
  // For the rows: never a BOM (the header carries it). The delimiter is the
  // input's, so a canonical record's bytes are its fields as written.
  CsvWriterOptions csv;
  std::size_t input_columns = 0;
  std::size_t output_columns = 0;
  std::vector<std::string> json_keys;  // `"name": `, with ", " before all but the first
};

// Renders scored rows: the input's fields unchanged, then the rule set's columns.
// A canonical record's fields are its bytes, copied whole.
// CSV rows go through a cursor (RowBuffer): `out` holds spare room until the
// writer goes, so size() says how much is written.
class ScoredRowWriter {
 public:
  ScoredRowWriter(const OutputShape& shape, std::string& out);
  void row(const CsvRecord& record, const Scorer& scorer);
  std::size_t size() const { return m_rows ? m_rows->size() : m_out.size(); }

 private:
  struct Output {
    std::size_t slot = 0;
    bool is_number = false;
    std::optional<int> decimals;
  };
  void csv_row(const CsvRecord& record, const Scorer& scorer);

  const OutputShape& m_shape;
  std::string& m_out;
  std::optional<CsvWriter> m_csv;  // says which fields can be copied as they are
  std::optional<RowBuffer> m_rows;
  std::vector<Output> m_outputs;  // found from the first row's scorer
  std::string m_text;             // one output value, reused row after row
  std::string m_fields;           // a record's fields, when not copied whole
};

// Renders rejected rows: the original fields, then Reject Row, Column, Reason.
class RejectedRowWriter {
 public:
  RejectedRowWriter(const OutputShape& shape, std::string& out);
  void row(std::span<const std::string_view> fields, const RejectedRow& rejected);

 private:
  std::size_t m_width;
  CsvWriter m_csv;
};

// The header lines of the scored CSV and of the rejects file (with the BOM
// when the input had one).
std::string scored_csv_header(const CsvWriterOptions& options, std::span<const std::string> header,
                              const RuleSet& rules);
std::string rejects_csv_header(const CsvWriterOptions& options,
                               std::span<const std::string> header);

// The JSON document around the rows: provenance and columns before them; the
// rejected rows and the counts after.
std::string json_opening(const ScoreRequest& request, std::span<const std::string> header);
std::string json_closing(bool any_rows, const ScoreReport& report,
                         const std::vector<RejectedRow>& rejected);

}  // namespace engine::detail
