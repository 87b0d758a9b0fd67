// Tested by tests/unit/test_score_job.cpp and tests/unit/test_published_scenario.cpp.
// One pass over the input: the header is checked and bound to the rule set once,
// then each record is scored and written straight out, so memory stays flat
// whatever the file size. CSV output follows the input's conventions (BOM, CRLF)
// so a spreadsheet user gets back what they gave; JSON carries the provenance.
#include <engine/csv_writer.hpp>
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/provenance.hpp>
#include <engine/score_job.hpp>
#include <engine/scorer.hpp>
#include <engine/text.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <unordered_map>

namespace engine {

namespace {

std::string json_string(std::string_view text) {
  // Invalid UTF-8 in a free-text field is replaced, never a reason to fail.
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Where scored rows go: one implementation per output format.
class ScoredSink {
 public:
  virtual ~ScoredSink() = default;
  virtual void row(std::span<const std::string_view> fields, const Scorer& scorer) = 0;
  virtual void finish(const ScoreReport& report, const std::vector<RejectedRow>& rejected) = 0;
};

class CsvSink : public ScoredSink {
 public:
  CsvSink(std::ostream& output, const CsvReader& reader, char delimiter,
          std::span<const std::string> header, const RuleSet& rules)
      : m_writer(output, {delimiter, reader.line_ending(), reader.had_bom()}) {
    for (const auto& name : header) {
      m_writer.field(name);
    }
    for (const auto& output_column : rules.outputs) {
      m_writer.field(output_column.column);
    }
    m_writer.end_record();
  }

  void row(std::span<const std::string_view> fields, const Scorer& scorer) override {
    for (const auto field : fields) {
      m_writer.field(field);
    }
    for (std::size_t i = 0; i < scorer.rules().outputs.size(); ++i) {
      m_writer.field(scorer.output_text(i));
    }
    m_writer.end_record();
  }

  void finish(const ScoreReport&, const std::vector<RejectedRow>&) override { m_writer.flush(); }

 private:
  CsvWriter m_writer;
};

class JsonSink : public ScoredSink {
 public:
  JsonSink(std::ostream& output, const ScoreRequest& request, std::span<const std::string> header)
      : m_output(output), m_header(header.begin(), header.end()) {
    const RuleSet& rules = *request.rules;
    for (const auto& output_column : rules.outputs) {
      m_header.push_back(output_column.column);
    }
    // The same provenance members as every other report: rule set, as-of date,
    // OPEL level, input.
    m_output << "{\n  "
             << make_provenance(rules, request.as_of, request.input_name, nullptr).json_members()
             << ",\n  \"columns\": [";
    for (std::size_t i = 0; i < m_header.size(); ++i) {
      m_output << (i == 0 ? "" : ", ") << json_string(m_header[i]);
    }
    m_output << "],\n  \"referrals\": [";
  }

  void row(std::span<const std::string_view> fields, const Scorer& scorer) override {
    m_line.clear();
    m_line += m_first ? "\n    {" : ",\n    {";
    m_first = false;
    std::size_t column = 0;
    for (const auto field : fields) {
      append_key(column++);
      m_line += json_string(field);
    }
    for (std::size_t i = 0; i < scorer.rules().outputs.size(); ++i) {
      append_key(column++);
      m_line +=
          scorer.output_is_number(i) ? scorer.output_text(i) : json_string(scorer.output_text(i));
    }
    m_line += '}';
    m_output << m_line;
  }

  void finish(const ScoreReport& report, const std::vector<RejectedRow>& rejected) override {
    m_output << (m_first ? "],\n" : "\n  ],\n") << "  \"rejected\": [";
    for (std::size_t i = 0; i < rejected.size(); ++i) {
      const auto& r = rejected[i];
      m_output << (i == 0 ? "\n" : ",\n") << "    {\"row\": " << r.line
               << ", \"id\": " << json_string(r.id) << ", \"column\": " << json_string(r.column)
               << ", \"reason\": " << json_string(r.reason) << "}";
    }
    m_output << (rejected.empty() ? "],\n" : "\n  ],\n")
             << "  \"counts\": {\"rows_read\": " << report.rows_read
             << ", \"scored\": " << report.scored << ", \"rejected\": " << report.rejected
             << "}\n}\n";
    m_output.flush();
    if (!m_output) {
      throw ConfigError({}, "could not write the output (disk full or closed pipe?)");
    }
  }

 private:
  void append_key(std::size_t column) {
    if (column != 0) {
      m_line += ", ";
    }
    m_line += json_string(m_header[column]);
    m_line += ": ";
  }

  std::ostream& m_output;
  std::vector<std::string> m_header;
  std::string m_line;
  bool m_first = true;
};

// Writes rejected rows: the original fields, then where and why.
class RejectsSink {
 public:
  RejectsSink(std::ostream& output, const CsvReader& reader, char delimiter,
              std::span<const std::string> header)
      : m_writer(output, {delimiter, reader.line_ending(), reader.had_bom()}),
        m_width(header.size()) {
    for (const auto& name : header) {
      m_writer.field(name);
    }
    m_writer.field("Reject Row");
    m_writer.field("Reject Column");
    m_writer.field("Reject Reason");
    m_writer.end_record();
  }

  // The Reject columns always sit where the header puts them: a short row is
  // padded with empty fields, and a long row's surplus fields follow them.
  void row(std::span<const std::string_view> fields, const RejectedRow& rejected) {
    for (std::size_t i = 0; i < m_width; ++i) {
      m_writer.field(i < fields.size() ? fields[i] : std::string_view());
    }
    m_writer.raw_field(std::to_string(rejected.line));
    m_writer.field(rejected.column);
    m_writer.field(rejected.reason);
    for (std::size_t i = m_width; i < fields.size(); ++i) {
      m_writer.field(fields[i]);
    }
    m_writer.end_record();
  }

  void finish() { m_writer.flush(); }

 private:
  CsvWriter m_writer;
  std::size_t m_width;
};

}  // namespace

std::string describe_problem(const std::string& column, const std::string& reason) {
  return column.empty() ? reason : "column " + quote(column) + ": " + reason;
}

ScoreReport score_referrals(const ScoreRequest& request, std::istream& input, std::ostream& output,
                            std::ostream* rejects) {
  const RuleSet& rules = *request.rules;
  detail::ScoredRows rows(input, request.input_name, request.csv, rules, request.as_of, true);
  const auto& header = rows.header();
  std::unique_ptr<ScoredSink> sink;
  if (request.format == OutputFormat::json) {
    sink = std::make_unique<JsonSink>(output, request, header);
  } else {
    sink = std::make_unique<CsvSink>(output, rows.reader(), request.csv.delimiter, header, rules);
  }
  std::optional<RejectsSink> rejects_sink;
  if (rejects != nullptr) {
    rejects_sink.emplace(*rejects, rows.reader(), request.csv.delimiter, header);
  }

  ScoreReport report;
  std::vector<RejectedRow> rejected;
  CsvRecord record;
  bool scored = false;
  RejectedRow row;
  while (rows.next(record, scored, row)) {
    if (scored) {
      ++report.scored;
      for (const auto& warning : rows.scorer().warnings()) {
        ++report.warnings;
        if (request.on_warning) {
          request.on_warning(
              {record.line, std::string(rows.scorer().id()), warning.column, warning.reason});
        }
      }
      sink->row(record.fields, rows.scorer());
      continue;
    }
    ++report.rejected;
    if (request.on_reject) {
      request.on_reject(row);
    }
    if (rejects_sink) {
      rejects_sink->row(record.fields, row);
    }
    if (request.format == OutputFormat::json) {
      rejected.push_back(std::move(row));  // JSON lists them after the scored rows
    }
  }
  report.rows_read = rows.rows_read();
  sink->finish(report, rejected);
  if (rejects_sink) {
    rejects_sink->finish();
  }
  return report;
}

}  // namespace engine
