// What each fuzz target does with one input, shared by the libFuzzer entry
// points (tests/fuzz/fuzz_*.cpp) and tests/unit/test_fuzz_regressions.cpp, which
// replays the seed corpus and every saved crash under g++. Header-only, so the
// unit test builds from the tests/unit/*.cpp glob with no extra source.
//
// A target returns normally when the input was handled: read, or rejected with
// the engine error its API documents. It throws FuzzFailure when a property the
// engine promises does not hold, and lets any other exception escape; both are
// bugs. Memory errors and undefined behaviour are the sanitizers' to report.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/csv_writer.hpp>
#include <engine/date.hpp>
#include <engine/errors.hpp>
#include <engine/rule_report.hpp>
#include <engine/rule_set.hpp>
#include <engine/scorer.hpp>
#include <engine/waiting_list.hpp>
#include <tests/support/block_ids_reference.hpp>
#include <tests/support/published_columns.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tests {

// A property the engine promises does not hold, though nothing crashed.
class FuzzFailure : public std::logic_error {
  using std::logic_error::logic_error;
};

namespace fuzz_detail {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline void require(bool condition, const std::string& what) {
  if (!condition) {
    throw FuzzFailure(what);
  }
}

// Any one character the CLI's --delimiter accepts: all but a quote, CR and LF.
inline char delimiter_from(std::uint8_t byte) {
  const auto c = static_cast<char>(byte);
  return c == '"' || c == '\r' || c == '\n' ? ',' : c;
}

// The header a rule set needs: each input's column once, in input order.
inline std::vector<std::string> header_for(const engine::RuleSet& rules) {
  std::vector<std::string> header;
  for (const auto& input : rules.inputs) {
    if (std::find(header.begin(), header.end(), input.column) == header.end()) {
      header.push_back(input.column);
    }
  }
  return header;
}

// `row` split on '|', one field per header column (missing ones empty).
inline std::vector<std::string_view> fields_for(std::string_view row, std::size_t count) {
  std::vector<std::string_view> fields;
  while (fields.size() < count && !row.empty()) {
    const auto bar = row.find('|');
    fields.push_back(row.substr(0, bar));
    row = bar == std::string_view::npos ? std::string_view() : row.substr(bar + 1);
  }
  fields.resize(count);
  return fields;
}

// Binds `rules` to a header holding every column it reads and scores one row.
// A loaded rule set must bind, and a bad row is a RowProblem, never a throw.
inline void score_row(const engine::RuleSet& rules, std::string_view row) {
  const std::vector<std::string> header = header_for(rules);
  const auto as_of = engine::make_date(2019, 12, 16);
  std::optional<engine::Scorer> scorer;
  try {
    scorer.emplace(rules, header, "fuzz.csv", *as_of);
  } catch (const engine::Error& error) {
    throw FuzzFailure(std::string("rules loaded but do not bind to their own columns: ") +
                      error.what());
  }
  const std::vector<std::string_view> fields = fields_for(row, header.size());
  engine::RowProblem problem;
  std::vector<engine::StepTrace> trace;
  if (!scorer->evaluate(fields, problem, &trace)) {
    return;
  }
  for (std::size_t i = 0; i < rules.outputs.size(); ++i) {
    static_cast<void>(scorer->output_text(i));
    static_cast<void>(scorer->output_is_number(i));
  }
  static_cast<void>(scorer->id());
}

// Every record's fields, or the error that stopped the reading.
struct ReadResult {
  std::vector<std::vector<std::string>> records;
  std::string error;
  bool operator==(const ReadResult&) const = default;
};

inline ReadResult read_records(std::string_view file, const engine::CsvOptions& options) {
  std::istringstream input{std::string(file)};
  engine::CsvReader reader(input, "fuzz.csv", options);
  engine::CsvRecord record;
  ReadResult result;
  try {
    while (reader.next(record)) {
      result.records.emplace_back(record.fields.begin(), record.fields.end());
      if (record.canonical) {
        // A record the reader calls canonical is what the writer would write.
        std::string written;
        engine::CsvWriterOptions writing;
        writing.delimiter = options.delimiter;
        writing.neutralise_formulas = false;
        engine::CsvWriter(written, writing).record(record.fields);
        std::string_view bytes = record.bytes;
        bytes.remove_suffix(bytes.size() >= 2 && bytes.substr(bytes.size() - 2) == "\r\n" ? 2 : 1);
        require(written == std::string(bytes) + "\n",
                "a canonical record is not as the CSV writer writes its fields");
      }
    }
  } catch (const engine::InputError& error) {
    result.error = error.what();
  }
  return result;
}

// Field `column` of every record as next_field reads it (none when the record
// has no such column), from memory; or the error that stopped the reading.
inline ReadResult read_column(std::string_view file, const engine::CsvOptions& options,
                              std::size_t column) {
  engine::CsvReader reader(file, "fuzz.csv", options);
  engine::CsvRecord record;
  ReadResult result;
  try {
    while (reader.next_field(record, column)) {
      require(record.fields.size() <= 1, "next_field gave more than one field");
      result.records.emplace_back(record.fields.begin(), record.fields.end());
    }
  } catch (const engine::InputError& error) {
    result.error = error.what();
  }
  return result;
}

}  // namespace fuzz_detail

// CSV reader. Byte 0 picks the delimiter (a quote, CR or LF means ','); the rest
// is the file. Records must come numbered 1, 2, 3... from strictly increasing
// lines, each with a field; a bad file is an InputError.
inline void fuzz_csv_reader_one(const std::uint8_t* data, std::size_t size) {
  using fuzz_detail::require;
  if (size == 0) {
    return;
  }
  engine::CsvOptions options;
  options.delimiter = fuzz_detail::delimiter_from(data[0]);
  options.max_record_bytes = 4096;
  // Tiny blocks, so that records cross block boundaries at every kind of byte.
  options.block_bytes = 16 + size % 48;
  const std::string_view file = fuzz_detail::as_text(data + 1, size - 1);
  // Differential: the block size must never change what is read.
  engine::CsvOptions large_blocks = options;
  large_blocks.block_bytes = engine::CsvOptions{}.block_bytes;
  require(fuzz_detail::read_records(file, options) == fuzz_detail::read_records(file, large_blocks),
          "tiny and large blocks read the file differently");
  // Differential: next_field reads each record's one field as next() does.
  {
    const std::size_t column = size % 5;
    fuzz_detail::ReadResult expected = fuzz_detail::read_records(file, large_blocks);
    for (auto& fields : expected.records) {
      fields = column < fields.size() ? std::vector<std::string>{fields[column]}
                                      : std::vector<std::string>{};
    }
    require(fuzz_detail::read_column(file, large_blocks, column) == expected,
            "next_field reads field " + std::to_string(column) + " unlike next()");
  }
  // Differential: the first pass's masks read each record's end and id as the
  // CsvReader does, from the top and from just after the first line feed (a
  // guessed cut), with the rows allowed from the input's size.
  {
    engine::detail::BlockScan scan;
    scan.input = engine::InputBytes{file};
    scan.source_name = "fuzz.csv";
    scan.csv = options;
    scan.id_column = size % 5;
    const std::size_t after_feed = file.find('\n');
    const std::size_t rows_left = size % 3 == 0 ? size % 7 : SIZE_MAX;
    scan.max_rows = rows_left;
    for (const std::size_t start :
         {std::size_t{0}, after_feed == std::string_view::npos ? file.size() : after_feed + 1}) {
      const std::size_t limit = size % 2 == 0 ? file.size() + 1 : start + (file.size() - start) / 2;
      require(
          tests::same_block_ids(engine::detail::read_block_ids(scan, start, limit, 1, rows_left),
                                tests::ids_read_by_csv_reader(scan, start, limit, 1, rows_left)),
          "the first pass's masks read a block from byte " + std::to_string(start) +
              " unlike the CsvReader");
    }
  }
  std::istringstream input{std::string(file)};
  engine::CsvReader reader(input, "fuzz.csv", options);
  engine::CsvRecord record;
  std::size_t rows = 0;
  std::size_t last_line = 0;
  std::size_t field_bytes = 0;
  std::size_t field_newlines = 0;
  try {
    while (reader.next(record)) {
      ++rows;
      require(record.row == rows,
              "record " + std::to_string(rows) + " numbered row " + std::to_string(record.row));
      require(record.line > last_line, "record on line " + std::to_string(record.line) +
                                           " after one on line " + std::to_string(last_line));
      require(!record.fields.empty(),
              "record on line " + std::to_string(record.line) + " has no fields");
      last_line = record.line;
      for (const std::string_view field : record.fields) {
        // Reads every byte, so a view into freed or stale memory is caught.
        field_newlines += static_cast<std::size_t>(std::count(field.begin(), field.end(), '\n'));
        field_bytes += field.size();
      }
    }
  } catch (const engine::InputError&) {
    return;
  }
  // Unescaping only removes bytes: the fields cannot hold more than the file,
  // nor more line breaks.
  require(field_bytes <= file.size(), "the fields hold " + std::to_string(field_bytes) +
                                          " bytes, the file " + std::to_string(file.size()));
  require(field_newlines <= static_cast<std::size_t>(std::count(file.begin(), file.end(), '\n')),
          "the fields hold more line breaks than the file");
}

// Date parser: a date that parses must print (to_iso) as text that parses back
// to the same day, and parsing ignores surrounding spaces.
inline void fuzz_date_one(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz_detail::as_text(data, size));
  const auto date = engine::parse_date(text);
  fuzz_detail::require(engine::parse_date(" " + text + " ") == date,
                       "surrounding spaces change how '" + text + "' parses");
  if (!date) {
    return;
  }
  const std::string iso = engine::to_iso(*date);
  fuzz_detail::require(engine::parse_date(iso) == date,
                       "'" + text + "' parses, but its to_iso '" + iso + "' is another date");
}

// Rule loader. The input is a rule file, optionally followed by a NUL byte and
// one row's fields separated by '|'. A file that loads must describe itself,
// load at every OPEL level it overrides (load_rules checked them all), and bind
// and score the row at the file's own rules and at each level.
inline void fuzz_rule_loader_one(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz_detail::as_text(data, size);
  const auto nul = input.find('\0');
  const std::string_view text = input.substr(0, nul);
  const std::string_view row = nul == std::string_view::npos ? "" : input.substr(nul + 1);
  std::optional<engine::RuleSet> rules;
  try {
    rules.emplace(engine::load_rules(text, "fuzz.toml"));
  } catch (const engine::Error&) {
    return;
  }
  static_cast<void>(engine::describe_rules(*rules));
  static_cast<void>(engine::summarise_rules(*rules));
  fuzz_detail::score_row(*rules, row);
  for (const int level : rules->opel_levels) {
    std::optional<engine::RuleSet> at_level;
    try {
      at_level.emplace(engine::rules_for_opel(*rules, level));
    } catch (const engine::Error& error) {
      throw FuzzFailure("rules loaded, but OPEL " + std::to_string(level) +
                        " does not: " + error.what());
    }
    static_cast<void>(engine::describe_rules(*at_level));
    fuzz_detail::score_row(*at_level, row);
  }
}

namespace fuzz_detail {

// Everything a list holds, as text that compares whole: rows read, each
// referral's fields and each unscorable row, or the error that stopped it.
inline std::string list_text(const std::function<engine::WaitingList()>& read) {
  std::string text;
  const auto number = [&](double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g|", x);
    text += buffer;
  };
  try {
    const engine::WaitingList list = read();
    text += "rows " + std::to_string(list.rows_read) + "\n";
    for (const engine::Referral& r : list.referrals) {
      text += std::to_string(r.line) + "|" + r.id + "|" + r.team + "|" + r.source + "|" +
              r.package + "|" + r.contract + "|" + r.wait_range + "|" + r.care_type + "|" +
              r.visit_slots_text + "|" + std::to_string(r.visit_slots) + "|" +
              (r.double_handed ? "2" : "1") + (r.in_bed ? "b" : "-") + "|";
      for (const double x : {r.score, r.daily_hours, r.weekly_hours, r.days_waiting}) {
        number(x);
      }
      for (std::size_t k = 0; k < r.key_numbers.size(); ++k) {
        number(r.key_numbers[k]);
        text += r.key_texts[k] + "|";
      }
      text += "\n";
    }
    for (const engine::UnscorableReferral& u : list.unscorable) {
      text += "unscorable " + std::to_string(u.row.line) + "|" + u.row.id + "|" + u.row.column +
              "|" + u.row.reason + "|" + u.team + "\n";
    }
  } catch (const engine::Error& error) {
    text += std::string("error: ") + error.what() + "\n";
  }
  return text;
}

}  // namespace fuzz_detail

// Waiting list: the block reader of a file held in memory (several threads,
// blocks cut on a guess and read again where the guess was wrong) against the
// stream reader. Byte 0 picks the team asked for (bits 0-1: none, South,
// north, West) and --max-rows (bits 2-4: none, or 1 to 7); the rest is the
// body of a file whose header is the published scenario's (sample-data/referrals.csv). On 1 to 3
// threads, in blocks of 16 and 64 bytes, the list must be the stream's:
// the same rows read, the same referrals field by field, the same unscorable
// rows, or the same error.
inline void fuzz_waiting_list_one(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return;
  }
  const engine::RuleSet& rules = engine::default_rules();
  std::string file = k_published_header + "\n";
  file += fuzz_detail::as_text(data + 1, size - 1);
  engine::WaitingListRequest request;
  request.rules = &rules;
  request.as_of = *engine::make_date(2019, 12, 16);
  request.input_name = "fuzz.csv";
  const char* const teams[] = {"", "South", "north", "West"};
  request.team = teams[data[0] & 3U];
  request.csv.max_rows = (data[0] >> 2U) & 7U;
  const std::string want = fuzz_detail::list_text([&] {
    std::istringstream input(file);
    return engine::read_waiting_list(request, input);
  });
  for (const unsigned threads : {1U, 2U, 3U}) {
    for (const std::size_t block_bytes : {std::size_t{16}, std::size_t{64}}) {
      engine::WaitingListRequest blocks = request;
      blocks.threads = threads;
      blocks.block_bytes = block_bytes;
      const std::string got = fuzz_detail::list_text(
          [&] { return engine::read_waiting_list(blocks, engine::InputBytes{file}); });
      fuzz_detail::require(got == want, "the block reader (" + std::to_string(threads) +
                                            " threads, blocks of " + std::to_string(block_bytes) +
                                            " bytes) reads the list as:\n" + got +
                                            "and the stream reader as:\n" + want);
    }
  }
}

// Runs a target as libFuzzer wants: a failed property or an exception that
// should not have escaped is printed and traps, which libFuzzer saves as a crash.
template <typename Target>
int run_fuzz_target(Target target, const std::uint8_t* data, std::size_t size) {
  try {
    target(data, size);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fuzz target failed: %s\n", error.what());
    __builtin_trap();
  } catch (...) {
    std::fprintf(stderr, "fuzz target failed: an exception not derived from std::exception\n");
    __builtin_trap();
  }
  return 0;
}

}  // namespace tests
