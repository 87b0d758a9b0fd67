// Tested by tests/unit/test_score_job.cpp and tests/unit/test_parallel_score.cpp.
#include <engine/detail/scored_output.hpp>
#include <engine/provenance.hpp>

#include <nlohmann/json.hpp>

namespace engine::detail {

namespace {

// Printable ASCII other than '"' and '\\' is its own JSON text: the common case,
// written without the JSON library's general (and slower) path.
bool is_plain_json(std::string_view text) {
  bool plain = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    plain &= byte >= 0x20 && byte < 0x7F && c != '"' && c != '\\';
  }
  return plain;
}

std::string_view without_line_ending(std::string_view bytes) {
  if (!bytes.empty() && bytes.back() == '\n') {
    bytes.remove_suffix(1);
    if (!bytes.empty() && bytes.back() == '\r') {
      bytes.remove_suffix(1);
    }
  }
  return bytes;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  if (is_plain_json(text)) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  out += json_string(text);
}

std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

OutputShape::OutputShape(OutputFormat format_, CsvWriterOptions csv_,
                         std::span<const std::string> header, const RuleSet& rules)
    : format(format_),
      csv(csv_),
      input_columns(header.size()),
      output_columns(rules.outputs.size()) {
  csv.bom = false;
  std::vector<std::string> names(header.begin(), header.end());
  for (const auto& output : rules.outputs) {
    names.push_back(output.column);
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    json_keys.push_back((i == 0 ? "" : ", ") + json_string(names[i]) + ": ");
  }
}

ScoredRowWriter::ScoredRowWriter(const OutputShape& shape, std::string& out)
    : m_shape(shape), m_out(out) {
  if (shape.format == OutputFormat::csv) {
    m_csv.emplace(m_text, shape.csv);
    m_rows.emplace(out);
  }
}

void ScoredRowWriter::csv_row(const CsvRecord& record, const Scorer& scorer) {
  if (m_outputs.size() != m_shape.output_columns) {
    for (std::size_t i = 0; i < m_shape.output_columns; ++i) {
      const auto& output = scorer.rules().outputs[i];
      m_outputs.push_back({scorer.slot(output.value), scorer.output_is_number(i), output.decimals});
    }
  }
  // A canonical record's fields are its bytes; others are written field by field.
  std::string_view fields = without_line_ending(record.bytes);
  if (!record.canonical || !m_csv->joins_as_is(record.fields)) {
    m_fields.clear();
    CsvWriter writer(m_fields, m_shape.csv);
    for (const auto field : record.fields) {
      writer.field(field);
    }
    fields = m_fields;
  }
  const std::span<const double> numbers = scorer.numbers();
  const std::span<const std::string_view> texts = scorer.texts();
  std::size_t room = fields.size() + 4;  // and the line ending, or "" for a blank record
  for (const Output& output : m_outputs) {
    room += 1 + (output.is_number ? k_number_chars : most_field_bytes(texts[output.slot]));
  }
  char* const start = m_rows->at(room);
  char* at = put(start, fields);
  // Every output follows a field, so each has a delimiter before it.
  for (const Output& output : m_outputs) {
    *at++ = m_shape.csv.delimiter;
    at = output.is_number ? put_number(at, numbers[output.slot], output.decimals)
                          : put_field(at, texts[output.slot], *m_csv, m_shape.csv, m_text);
  }
  if (at == start) {
    at = put(at, "\"\"");  // one empty field, written so it is not a blank line
  }
  at = put(at, m_shape.csv.line_ending == LineEnding::crlf ? "\r\n" : "\n");
  m_rows->written_to(at);
}

void ScoredRowWriter::row(const CsvRecord& record, const Scorer& scorer) {
  if (m_rows) {
    csv_row(record, scorer);
    return;
  }
  m_out += ",\n    {";
  std::size_t column = 0;
  for (const auto field : record.fields) {
    m_out += m_shape.json_keys[column++];
    append_json_string(m_out, field);
  }
  std::string& text = m_text;
  for (std::size_t i = 0; i < m_shape.output_columns; ++i) {
    m_out += m_shape.json_keys[column++];
    text.clear();
    scorer.append_output(i, text);
    if (scorer.output_is_number(i)) {
      m_out += text;
    } else {
      append_json_string(m_out, text);
    }
  }
  m_out += '}';
}

RejectedRowWriter::RejectedRowWriter(const OutputShape& shape, std::string& out)
    : m_width(shape.input_columns), m_csv(out, shape.csv) {}

// The Reject columns always sit where the header puts them: a short row is
// padded with empty fields, and a long row's surplus fields follow them.
void RejectedRowWriter::row(std::span<const std::string_view> fields, const RejectedRow& rejected) {
  for (std::size_t i = 0; i < m_width; ++i) {
    m_csv.field(i < fields.size() ? fields[i] : std::string_view());
  }
  m_csv.raw_field(std::to_string(rejected.line));
  m_csv.field(rejected.column);
  m_csv.field(rejected.reason);
  for (std::size_t i = m_width; i < fields.size(); ++i) {
    m_csv.field(fields[i]);
  }
  m_csv.end_record();
}

std::string scored_csv_header(const CsvWriterOptions& options, std::span<const std::string> header,
                              const RuleSet& rules) {
  std::string text;
  CsvWriter writer(text, options);
  for (const auto& name : header) {
    writer.field(name);
  }
  for (const auto& output : rules.outputs) {
    writer.field(output.column);
  }
  writer.end_record();
  return text;
}

std::string rejects_csv_header(const CsvWriterOptions& options,
                               std::span<const std::string> header) {
  std::string text;
  CsvWriter writer(text, options);
  for (const auto& name : header) {
    writer.field(name);
  }
  for (const char* name : {"Reject Row", "Reject Column", "Reject Reason"}) {
    writer.field(name);
  }
  writer.end_record();
  return text;
}

std::string json_opening(const ScoreRequest& request, std::span<const std::string> header) {
  const RuleSet& rules = *request.rules;
  // The same provenance members as every other report: rule set, as-of date,
  // OPEL level, input.
  std::string text =
      "{\n  " + make_provenance(rules, request.as_of, request.input_name, nullptr).json_members() +
      ",\n  \"columns\": [";
  std::size_t i = 0;
  for (const auto& name : header) {
    text += (i++ == 0 ? "" : ", ") + json_string(name);
  }
  for (const auto& output : rules.outputs) {
    text += (i++ == 0 ? "" : ", ") + json_string(output.column);
  }
  return text + "],\n  \"referrals\": [";
}

std::string json_closing(bool any_rows, const ScoreReport& report,
                         const std::vector<RejectedRow>& rejected) {
  std::string text = any_rows ? "\n  ],\n" : "],\n";
  text += "  \"rejected\": [";
  for (std::size_t i = 0; i < rejected.size(); ++i) {
    const auto& r = rejected[i];
    text += (i == 0 ? "\n" : ",\n");
    text += "    {\"row\": " + std::to_string(r.line) + ", \"id\": " + json_string(r.id) +
            ", \"column\": " + json_string(r.column) + ", \"reason\": " + json_string(r.reason) +
            "}";
  }
  text += rejected.empty() ? "],\n" : "\n  ],\n";
  text += "  \"counts\": {\"rows_read\": " + std::to_string(report.rows_read) +
          ", \"scored\": " + std::to_string(report.scored) +
          ", \"rejected\": " + std::to_string(report.rejected) + "}\n}\n";
  return text;
}

}  // namespace engine::detail
