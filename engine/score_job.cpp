// Tested by tests/unit/test_score_job.cpp, tests/unit/test_parallel_score.cpp
// and tests/unit/test_published_scenario.cpp.
//
// A stream is read once, front to back. Input in memory is read twice: first
// to cut it into blocks of whole records and to find the ids that may repeat
// (detail::scan_record_blocks), then to score the blocks, a thread each,
// rendering every block's rows into its own buffers. The buffers are written
// out strictly in block order, so the output is the same whatever the number
// of threads. A row whose id may repeat is set aside by its block and scored
// again when its turn comes, where the ids seen so far are known exactly.
// CSV output follows the input's conventions (BOM, CRLF) so a spreadsheet user
// gets back what they gave; JSON carries the provenance.
#include <engine/csv_writer.hpp>
#include <engine/detail/buffer_pool.hpp>
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/ordered_blocks.hpp>
#include <engine/detail/record_blocks.hpp>
#include <engine/detail/scored_output.hpp>
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/file_io.hpp>
#include <engine/score_job.hpp>
#include <engine/scorer.hpp>
#include <engine/text.hpp>

#include <chrono>
#include <cstring>
#include <memory>
#include <thread>
#include <unordered_map>

namespace engine {

namespace {

// What happened to a row that is not simply written out, in row order, with
// where it falls among the block's rendered rows.
struct RowEvent {
  enum class Kind { rejected, warning, deferred };
  Kind kind = Kind::rejected;
  std::size_t output_at = 0;   // the block's output bytes before this row
  std::size_t rejects_at = 0;  // the block's rejects bytes before this row
  RejectedRow row;             // rejected or warning
  std::string_view bytes{};    // deferred: the record, in the mapped input
  std::size_t line = 0;
};

struct ScoredBlock {
  std::string output;
  std::string rejects;
  std::vector<RowEvent> events;
  std::size_t rows = 0;
};

// How a block decides about a scored row's id.
class IdCheck {
 public:
  virtual ~IdCheck() = default;
  // Whether the row must wait for its turn to be decided (set aside).
  virtual bool defer(std::string_view id) = 0;
  // For a row not deferred: the line the id was first seen on, if it was.
  virtual std::optional<std::size_t> seen(std::string_view id, std::size_t line) = 0;
};

// One reader front to back: every id is remembered, exactly.
class ExactIds : public IdCheck {
 public:
  bool defer(std::string_view) override { return false; }
  std::optional<std::size_t> seen(std::string_view id, std::size_t line) override {
    return m_seen.add(id, line);
  }

 private:
  detail::SeenIds m_seen;
};

// Blocks in parallel: only the candidates (ids that may repeat) are set aside.
class CandidateIds : public IdCheck {
 public:
  explicit CandidateIds(const detail::DuplicateCandidates& candidates) : m_candidates(candidates) {}
  bool defer(std::string_view id) override {
    return !m_candidates.empty() && m_candidates.contains(detail::id_hash(id));
  }
  std::optional<std::size_t> seen(std::string_view, std::size_t) override { return std::nullopt; }

 private:
  const detail::DuplicateCandidates& m_candidates;
};

// Everything a block's rows are rendered with.
struct BlockContext {
  const RuleSet& rules;
  const detail::OutputShape& shape;
  const std::string& source;
  std::size_t header_size;
  bool json;
};

// Scores the reader's records into `block`, stopping early once the output
// holds `max_output` bytes (a stream is written as it goes). Returns false at
// the end of the reader's input.
bool score_block(const BlockContext& context, CsvReader& reader, Scorer& scorer, IdCheck& ids,
                 ScoredBlock& block, std::size_t max_output, bool may_hold_nul = true) {
  detail::ScoredRowWriter scored(context.shape, block.output);
  detail::RejectedRowWriter rejects(context.shape, block.rejects);
  CsvRecord record;
  while (scored.size() < max_output) {
    if (!reader.next(record)) {
      return false;
    }
    ++block.rows;
    RejectedRow rejected;
    if (detail::score_record(record, context.header_size, scorer, context.source, rejected,
                             may_hold_nul)) {
      const std::string_view id = scorer.id();
      if (ids.defer(id)) {
        block.events.push_back({RowEvent::Kind::deferred,
                                scored.size(),
                                block.rejects.size(),
                                {},
                                record.bytes,
                                record.line});
        continue;
      }
      if (const auto first = ids.seen(id, record.line)) {
        rejected = detail::duplicate_id(context.rules, scorer, record.line, *first);
      } else {
        for (const auto& warning : scorer.warnings()) {
          block.events.push_back({RowEvent::Kind::warning,
                                  scored.size(),
                                  block.rejects.size(),
                                  {record.line, std::string(id), warning.column, warning.reason}});
        }
        scored.row(record, scorer);
        continue;
      }
    }
    block.events.push_back(
        {RowEvent::Kind::rejected, scored.size(), block.rejects.size(), rejected});
    rejects.row(record.fields, rejected);
  }
  return true;
}

// Writes the blocks out in order and keeps the counts; decides the rows set
// aside, with the ids seen so far.
class BlockWriter {
 public:
  BlockWriter(const ScoreRequest& request, const BlockContext& context, Scorer& scorer,
              std::ostream& output, std::ostream* rejects)
      : m_request(request),
        m_context(context),
        m_scorer(scorer),
        m_output(output),
        m_rejects(rejects) {}

  void take(const ScoredBlock& block) {
    m_report.rows_read += block.rows;
    std::size_t output_at = 0;
    std::size_t rejects_at = 0;
    for (const RowEvent& event : block.events) {
      write_rows(std::string_view(block.output).substr(output_at, event.output_at - output_at));
      write_rejects(
          std::string_view(block.rejects).substr(rejects_at, event.rejects_at - rejects_at));
      output_at = event.output_at;
      rejects_at = event.rejects_at;
      if (event.kind == RowEvent::Kind::deferred) {
        decide(event.bytes, event.line);
      } else if (event.kind == RowEvent::Kind::warning) {
        warn(event.row);
      } else {
        reject(event.row);
      }
    }
    write_rows(std::string_view(block.output).substr(output_at));
    write_rejects(std::string_view(block.rejects).substr(rejects_at));
    m_report.scored = m_report.rows_read - m_report.rejected;
  }

  void write_text(std::string_view text) { engine::write_text(m_output, text); }
  void write_rejects(std::string_view text) {
    if (m_rejects != nullptr) {
      engine::write_text(*m_rejects, text);
    }
  }
  bool any_rows() const { return m_any_rows; }
  ScoreReport& report() { return m_report; }
  const std::vector<RejectedRow>& rejected() const { return m_rejected; }

 private:
  // A row set aside: scored again here, in its turn, against the ids seen.
  void decide(std::string_view bytes, std::size_t line) {
    const detail::SetAsideRow row(bytes, line, m_context.source, m_request.csv,
                                  m_context.header_size, m_scorer);
    const CsvRecord& record = row.record();
    if (const auto first = m_seen.add(m_scorer.id(), line)) {
      const RejectedRow duplicate = detail::duplicate_id(m_context.rules, m_scorer, line, *first);
      reject(duplicate);
      std::string text;
      detail::RejectedRowWriter(m_context.shape, text).row(record.fields, duplicate);
      write_rejects(text);
      return;
    }
    for (const auto& warning : m_scorer.warnings()) {
      warn({line, std::string(m_scorer.id()), warning.column, warning.reason});
    }
    std::string text;
    detail::ScoredRowWriter(m_context.shape, text).row(record, m_scorer);
    write_rows(text);
  }

  void warn(const RejectedRow& row) {
    ++m_report.warnings;
    if (m_request.on_warning) {
      m_request.on_warning(row);
    }
  }

  void reject(const RejectedRow& row) {
    ++m_report.rejected;
    if (m_request.on_reject) {
      m_request.on_reject(row);
    }
    if (m_context.json) {
      m_rejected.push_back(row);  // JSON lists them after the scored rows
    }
  }

  void write_rows(std::string_view text) {
    if (text.empty()) {
      return;
    }
    if (m_context.json && !m_any_rows) {
      text.remove_prefix(1);  // the first row has no comma before it
    }
    m_any_rows = true;
    engine::write_text(m_output, text);
  }

  const ScoreRequest& m_request;
  const BlockContext& m_context;
  Scorer& m_scorer;
  std::ostream& m_output;
  std::ostream* m_rejects;
  ScoreReport m_report;
  std::vector<RejectedRow> m_rejected;
  detail::SeenIds m_seen;
  bool m_any_rows = false;
};

CsvWriterOptions output_options(const ScoreRequest& request, const CsvReader& header_reader) {
  return {request.csv.delimiter, header_reader.line_ending(), header_reader.had_bom()};
}

void open_outputs(const ScoreRequest& request, std::span<const std::string> header,
                  const CsvWriterOptions& options, BlockWriter& writer) {
  if (request.format == OutputFormat::json) {
    writer.write_text(detail::json_opening(request, header));
  } else {
    writer.write_text(detail::scored_csv_header(options, header, *request.rules));
  }
  writer.write_rejects(detail::rejects_csv_header(options, header));
}

ScoreReport close_outputs(const ScoreRequest& request, BlockWriter& writer, std::ostream& output,
                          std::ostream* rejects) {
  if (writer.report().rows_read == 0) {
    throw InputError({request.input_name}, "the file has a header but no referral rows");
  }
  if (request.format == OutputFormat::json) {
    writer.write_text(detail::json_closing(writer.any_rows(), writer.report(), writer.rejected()));
  }
  flush_output(output);
  if (rejects != nullptr) {
    flush_output(*rejects);
  }
  return writer.report();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void report_progress(const ScoreRequest& request, const ScoreReport& report, std::size_t done,
                     std::size_t total) {
  if (request.on_progress) {
    request.on_progress({report.rows_read, done, total});
  }
}

}  // namespace

std::string describe_problem(const std::string& column, const std::string& reason) {
  return column.empty() ? reason : "column " + quote(column) + ": " + reason;
}

unsigned worker_threads(unsigned requested) {
  return requested != 0 ? requested : std::max(1U, std::thread::hardware_concurrency());
}

ScoreReport score_referrals(const ScoreRequest& request, std::istream& input, std::ostream& output,
                            std::ostream* rejects) {
  const auto start = std::chrono::steady_clock::now();
  const RuleSet& rules = *request.rules;
  CsvReader reader(input, request.input_name, request.csv);
  const auto header =
      detail::read_checked_header(reader, rules, request.input_name, true, request.csv.delimiter);
  Scorer scorer(rules, header, request.input_name, request.as_of);
  const CsvWriterOptions options = output_options(request, reader);
  const detail::OutputShape shape(request.format, options, header, rules);
  const BlockContext context{rules, shape, request.input_name, header.size(),
                             request.format == OutputFormat::json};
  BlockWriter writer(request, context, scorer, output, rejects);
  open_outputs(request, header, options, writer);
  ExactIds ids;
  constexpr std::size_t k_stream_chunk = std::size_t{1} << 20;
  for (bool more = true; more;) {
    ScoredBlock block;
    more = score_block(context, reader, scorer, ids, block, k_stream_chunk);
    writer.take(block);
    report_progress(request, writer.report(), reader.offset(), 0);
  }
  ScoreReport report = close_outputs(request, writer, output, rejects);
  report.timings.score = seconds_since(start);
  return report;
}

ScoreReport score_referrals(const ScoreRequest& request, const InputBytes& input,
                            std::ostream& output, std::ostream* rejects) {
  const RuleSet& rules = *request.rules;
  const std::string& source = request.input_name;
  detail::BoundInput bound(input, source, request.csv, rules, request.as_of, true, request.threads,
                           request.block_bytes);
  const CsvReader& header_reader = bound.header_reader;
  const auto& header = bound.header;
  const unsigned threads = bound.threads;
  const auto& scorers = bound.scorers;
  const CsvWriterOptions options = output_options(request, header_reader);
  const detail::OutputShape shape(request.format, options, header, rules);
  const BlockContext context{rules, shape, source, header.size(),
                             request.format == OutputFormat::json};
  auto start = std::chrono::steady_clock::now();
  detail::DuplicateCandidates candidates;
  const detail::RecordBlocks blocks = bound.scan(request.block_bytes, 0, candidates);
  const double scan_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();

  BlockWriter writer(request, context, *scorers.back(), output, rejects);
  open_outputs(request, header, options, writer);
  detail::BufferPool buffers;
  detail::run_in_block_order<ScoredBlock>(
      blocks.size(), threads, std::size_t{threads} * 2,
      [&](std::size_t i, unsigned worker) {
        detail::read_ahead_of_block(input, i, blocks.size(),
                                    [&](std::size_t j) { return blocks.starts[j]; });
        CsvReader reader = blocks.reader(input.bytes, i, source, request.csv);
        CandidateIds ids(candidates);
        ScoredBlock block;
        block.output = buffers.take();
        block.rejects = buffers.take();
        // The scan found no NUL byte (RecordBlocks), so the rows need no search.
        score_block(context, reader, *scorers[worker], ids, block, SIZE_MAX, false);
        return block;
      },
      [&](std::size_t i, ScoredBlock block) {
        writer.take(block);
        buffers.give(std::move(block.output));
        buffers.give(std::move(block.rejects));
        input.release(blocks.starts[i], blocks.starts[i + 1] - blocks.starts[i]);
        report_progress(request, writer.report(), blocks.starts[i + 1], input.bytes.size());
      });
  ScoreReport report = close_outputs(request, writer, output, rejects);
  report.timings = {scan_seconds, seconds_since(start)};
  return report;
}

}  // namespace engine
