// engine::score_referrals over input held in memory, read by several threads in
// blocks: the same output bytes, rejects, counts and callbacks, in the same
// order, as the stream overload (the long-standing sequential reference, which
// has exact-value tests of its own in test_score_job.cpp), whatever the thread
// count and block size. Where a value can be worked out by hand (a duplicate's
// reason and lines, the counts of a hand-built file), it is asserted exactly.
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/mapped_file.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>
#include <tests/support/csv_table.hpp>
#include <tests/support/published_columns.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using engine::OutputFormat;

namespace {

const std::string k_source_dir = REABLEMENT_SOURCE_DIR;
const std::string k_spec_dir = REABLEMENT_SPEC_DIR;

const std::string& k_header = tests::k_published_header;
using tests::k_mobility_values;

const std::size_t k_default_block = engine::ScoreRequest{}.block_bytes;

// A published-columns row of team South (tests::published_row).
std::string row(const std::string& id, const std::string& ward = "",
                const std::string& mobility = "Mobile with 1 staff",
                const std::string& date = "02/12/2019") {
  return tests::published_row(id, "South", ward, mobility, date);
}

// A row that scores with a warning: 1 hour a day but 10 a week.
std::string warning_row(const std::string& id) {
  return id +
         ",Triaged,South,URTS,OX12,\"AM, PM\",BD,No,1,10,Simple,CRS,URTS,,02/12/2019,06/12/2019,"
         "Mobile with 1 staff";
}

const std::string k_weekly_warning =
    "weekly hours are not 7 times the daily hours (daily_hours = 1, weekly_hours = 10)";

constexpr auto& duplicate = tests::duplicate_reason;

// "reject 9 S104 | column | reason": one callback, in a form that compares whole.
std::string event(const std::string& kind, std::size_t line, const std::string& id,
                  const std::string& column, const std::string& reason) {
  return kind + " " + std::to_string(line) + " " + id + " | " + column + " | " + reason;
}

struct Run {
  std::string output;
  std::string rejects;
  engine::ScoreReport report;
  std::vector<std::string> events;  // on_reject and on_warning, in call order
  std::string error;                // what() of an InputError, if one was thrown
};

engine::ScoreRequest make_request(OutputFormat format, Run& run, const engine::CsvOptions& csv) {
  engine::ScoreRequest request;
  request.csv = csv;
  request.rules = &engine::default_rules();
  request.as_of = *engine::make_date(2019, 12, 16);
  request.input_name = "referrals.csv";
  request.format = format;
  request.on_reject = [&run](const engine::RejectedRow& r) {
    run.events.push_back(event("reject", r.line, r.id, r.column, r.reason));
  };
  request.on_warning = [&run](const engine::RejectedRow& r) {
    run.events.push_back(event("warning", r.line, r.id, r.column, r.reason));
  };
  return request;
}

Run score_stream(const std::string& text, OutputFormat format, const engine::CsvOptions& csv = {}) {
  Run run;
  const engine::ScoreRequest request = make_request(format, run, csv);
  std::istringstream in(text);
  std::ostringstream out;
  std::ostringstream rejects;
  try {
    run.report = engine::score_referrals(request, in, out, &rejects);
  } catch (const engine::InputError& e) {
    run.error = e.what();
  }
  run.output = out.str();
  run.rejects = rejects.str();
  return run;
}

Run score_memory(std::string_view text, OutputFormat format, unsigned threads,
                 std::size_t block_bytes, const engine::MappedFile* mapping = nullptr,
                 const engine::CsvOptions& csv = {}) {
  Run run;
  engine::ScoreRequest request = make_request(format, run, csv);
  request.threads = threads;
  request.block_bytes = block_bytes;
  std::ostringstream out;
  std::ostringstream rejects;
  try {
    run.report = engine::score_referrals(request, engine::InputBytes{text, mapping}, out, &rejects);
  } catch (const engine::InputError& e) {
    run.error = e.what();
  }
  run.output = out.str();
  run.rejects = rejects.str();
  return run;
}

void check_same(const Run& got, const Run& want) {
  CHECK(got.error == want.error);
  CHECK(got.output == want.output);
  CHECK(got.rejects == want.rejects);
  CHECK(got.report.rows_read == want.report.rows_read);
  CHECK(got.report.scored == want.report.scored);
  CHECK(got.report.rejected == want.report.rejected);
  CHECK(got.report.warnings == want.report.warnings);
  CHECK(got.events == want.events);
}

const char* format_name(OutputFormat format) {
  return format == OutputFormat::csv ? "csv" : "json";
}

// Scores `text` both ways, in both formats, for threads 1 to 3 and block sizes
// from one byte to the default; every run must equal the stream's. Returns the
// stream's CSV run, for exact checks.
Run check_same_as_stream(const std::string& text, const std::vector<std::size_t>& block_sizes = {
                                                      1, 7, 64, 300, k_default_block}) {
  Run csv_reference;
  for (const OutputFormat format : {OutputFormat::csv, OutputFormat::json}) {
    const Run reference = score_stream(text, format);
    if (format == OutputFormat::csv) {
      csv_reference = reference;
    }
    for (const unsigned threads : {1U, 2U, 3U}) {
      for (const std::size_t block_bytes : block_sizes) {
        CAPTURE(format_name(format), threads, block_bytes);
        check_same(score_memory(text, format, threads, block_bytes), reference);
      }
    }
  }
  return csv_reference;
}

// Whether the error was "what" for the stream and every memory run.
void check_error_everywhere(const std::string& text, const std::string& what,
                            const engine::CsvOptions& csv = {}) {
  for (const OutputFormat format : {OutputFormat::csv, OutputFormat::json}) {
    CAPTURE(format_name(format));
    CHECK(score_stream(text, format, csv).error == what);
    for (const unsigned threads : {1U, 2U, 3U}) {
      for (const std::size_t block_bytes :
           {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{300}, k_default_block}) {
        CAPTURE(threads, block_bytes);
        CHECK(score_memory(text, format, threads, block_bytes, nullptr, csv).error == what);
      }
    }
  }
}

// Lone LFs become CRLF; CRLFs already there stay as they are.
std::string with_crlf(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
      out += '\r';
    }
    out += text[i];
  }
  return out;
}

// Every awkward thing at once, line numbers in the comments. Guessed cuts fall
// after every line break, so with small blocks some land inside quoted fields:
// one just before text that looks like a whole record (S199), one just before
// an escaped quote that, read from there, opens a field never closed (S109).
std::string awkward_text() {
  const std::vector<std::string> lines{
      k_header,                                                       // 1
      row("S101", "\"Bay 3, bed 2\""),                                // 2
      row("S102", "\"says \"\"hi\"\", twice\""),                      // 3
      row("S103", "\"moved from\n" + row("S199") + "\nthen home\""),  // 4-6
      "",                                                             // 7 blank
      "\r",                                                           // 8 blank (CRLF)
      row("S104", "", "Mobile with 1 staff", "31/02/2019"),           // 9 bad date
      row("S105", "", "Walks"),                                       // 10 unknown mobility
      row("S106").substr(0, row("S106").rfind(',')),                  // 11 16 fields
      row("S107") + ",extra",                                         // 12 18 fields
      row("D1", "", "Flying"),                                        // 13 rejected
      row("D1"),                                                      // 14 not a duplicate
      row("D2", "\"ward\nwith a break\""),                            // 15-16
      row("D2"),                                                      // 17 duplicate of 15
      row("T1"),                                                      // 18
      row(" T1 "),                                                    // 19 duplicate of 18
      row("T1"),                                                      // 20 duplicate of 18
      warning_row("S108"),                                            // 21
      "  ",                                                           // 22 one field
      row("S109", "\"note\n\"\"\""),                                  // 23-24
      "",                                                             // 25 blank
      "\r",                                                           // 26 blank (CRLF)
      "",                                                             // 27 blank
  };
  std::string text;
  for (const auto& line : lines) {
    text += line + "\n";
  }
  return text;
}

// The callbacks awkward_text() must give, worked out from its rows.
std::vector<std::string> awkward_events() {
  return {
      event("reject", 9, "S104", "Referral/Discharge Notice Date",
            "'31/02/2019' is not a valid date; expected dd/mm/yyyy or yyyy-mm-dd"),
      event("reject", 10, "S105", "Mobility", "'Walks' is not a known value; " + k_mobility_values),
      event("reject", 11, "", "", "the row has 16 fields; the header has 17"),
      event("reject", 12, "", "", "the row has 18 fields; the header has 17"),
      event("reject", 13, "D1", "Mobility", "'Flying' is not a known value; " + k_mobility_values),
      event("reject", 17, "D2", "Referral ID", duplicate("D2", 15)),
      event("reject", 19, "T1", "Referral ID", duplicate("T1", 18)),
      event("reject", 20, "T1", "Referral ID", duplicate("T1", 18)),
      event("warning", 21, "S108", "Hours of Care (Weekly)", k_weekly_warning),
      event("reject", 22, "", "", "the row has 1 fields; the header has 17"),
  };
}

// What a generated text must give, worked out row by row by the rule: the
// first row of an id that scores is remembered, a later scoring row with that
// id is its duplicate, and a rejected row is never remembered.
struct Expected {
  std::vector<std::string> events;
  std::size_t rows = 0;
  std::size_t rejected = 0;
  std::size_t warnings = 0;
};

// `count` rows, ids repeating after `distinct`; some rows span two lines, some
// have an unknown mobility, some a warning. The expected callbacks are worked
// out alongside, line by line.
std::string generated_text(int count, int distinct, Expected& expected) {
  std::string text = k_header + "\n";
  std::size_t line = 2;
  std::map<std::string, std::size_t> first_scored;
  for (int i = 0; i < count; ++i) {
    const std::string id = "G" + std::to_string(i % distinct);
    const bool two_lines = i % 9 == 4;
    const bool bad = i % 13 == 5;
    const bool warns = i % 17 == 8;
    std::string ward = two_lines ? "\"Bay " + std::to_string(i) + ",\n" + row("X1") + "\"" : "";
    if (i % 11 == 3) {
      text += "\r\n";  // a blank line before the record
      ++line;
    }
    text +=
        (warns ? warning_row(id) : row(id, ward, bad ? "Flying" : "Mobile with 1 staff")) + "\n";
    ++expected.rows;
    if (bad && !warns) {
      ++expected.rejected;
      expected.events.push_back(event("reject", line, id, "Mobility",
                                      "'Flying' is not a known value; " + k_mobility_values));
    } else if (const auto first = first_scored.find(id); first != first_scored.end()) {
      ++expected.rejected;
      expected.events.push_back(
          event("reject", line, id, "Referral ID", duplicate(id, first->second)));
    } else {
      first_scored.emplace(id, line);
      if (warns) {
        ++expected.warnings;
        expected.events.push_back(
            event("warning", line, id, "Hours of Care (Weekly)", k_weekly_warning));
      }
    }
    line += two_lines && !warns ? 2 : 1;
  }
  return text;
}

}  // namespace

TEST_CASE("parallel score: the published scenario scores the same whatever the threads and blocks",
          "[parallel]") {
  const std::string text = tests::slurp(k_source_dir + "/sample-data/referrals.csv");
  const Run reference = check_same_as_stream(text);
  CHECK(reference.report.rows_read == 33);
  CHECK(reference.report.scored == 33);
  CHECK(reference.events.empty());
  // And every appended value is the published table's, read with 3 threads in small blocks.
  const auto scored = tests::parse_csv_table(score_memory(text, OutputFormat::csv, 3, 64).output);
  const auto expected = tests::parse_csv_table(tests::slurp(k_spec_dir + "/seed-expected.csv"));
  REQUIRE(scored.rows.size() == expected.rows.size());
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    for (const auto& column : expected.header) {
      CAPTURE(i, column);
      CHECK(scored.rows[i].at(column) == expected.rows[i].at(column));
    }
  }
}

TEST_CASE(
    "parallel score: quoted fields, blank lines, bad rows and repeated ids read as one reader does",
    "[parallel]") {
  const std::string text = awkward_text();
  const Run reference = check_same_as_stream(text);
  CHECK(reference.events == awkward_events());
  const Run run = score_memory(text, OutputFormat::csv, 3, 7);
  CHECK(run.events == awkward_events());
  CHECK(run.report.rows_read == 17);
  CHECK(run.report.rejected == 9);
  CHECK(run.report.scored == 8);
  CHECK(run.report.warnings == 1);
  // The quoted fields come back whole, and the record-like text inside one is not a row.
  const auto table = tests::parse_csv_table(run.output);
  REQUIRE(table.rows.size() == 8);
  CHECK(table.row_with("Referral ID", "S101").at("Ward") == "Bay 3, bed 2");
  CHECK(table.row_with("Referral ID", "S102").at("Ward") == "says \"hi\", twice");
  CHECK(table.row_with("Referral ID", "S103").at("Ward") ==
        "moved from\n" + row("S199") + "\nthen home");
  CHECK(table.row_with("Referral ID", "S109").at("Ward") == "note\n\"");
  CHECK(tests::parse_csv_table(run.rejects).rows.size() == 9);
}

TEST_CASE("parallel score: a BOM and CRLF endings read and write as one reader does",
          "[parallel]") {
  const std::string text = "\xEF\xBB\xBF" + with_crlf(awkward_text());
  const Run reference = check_same_as_stream(text);
  CHECK(reference.events == awkward_events());  // a CRLF is one line break
  const Run run = score_memory(text, OutputFormat::csv, 2, 1);
  CHECK(run.events == awkward_events());
  CHECK(run.output.rfind("\xEF\xBB\xBFReferral ID,", 0) == 0);
  CHECK(run.output.substr(run.output.size() - 2) == "\r\n");
}

TEST_CASE("parallel score: an id counts as seen only once a row with it scores", "[parallel]") {
  SECTION("the first occurrence rejected for another reason, the second scores") {
    const std::string text = k_header + "\n" + row("R1", "", "Walks") + "\n" + row("R1") + "\n";
    const Run reference = check_same_as_stream(text);
    CHECK(reference.events ==
          std::vector<std::string>{event("reject", 2, "R1", "Mobility",
                                         "'Walks' is not a known value; " + k_mobility_values)});
    CHECK(reference.report.scored == 1);
  }
  SECTION("the first row repeats later, so its turn decides it (JSON's first row too)") {
    const std::string text =
        k_header + "\n" + row("R1") + "\n" + row("R2") + "\n" + row("R1") + "\n" + row("R1") + "\n";
    const Run reference = check_same_as_stream(text);
    CHECK(reference.events ==
          std::vector<std::string>{event("reject", 4, "R1", "Referral ID", duplicate("R1", 2)),
                                   event("reject", 5, "R1", "Referral ID", duplicate("R1", 2))});
  }
  SECTION("ids with surrounding spaces, quoted or not, are the same id") {
    const std::string text =
        k_header + "\n" + row("\" R1\t\"") + "\n" + row("R1 ") + "\n" + row("\"R1\"") + "\n";
    const Run reference = check_same_as_stream(text);
    CHECK(reference.events ==
          std::vector<std::string>{event("reject", 3, "R1", "Referral ID", duplicate("R1", 2)),
                                   event("reject", 4, "R1", "Referral ID", duplicate("R1", 2))});
  }
  SECTION("every row rejected: JSON has no referrals") {
    const std::string text =
        k_header + "\n" + row("R1", "", "Walks") + "\n" + row("R1", "", "Walks") + "\n";
    const Run reference = check_same_as_stream(text);
    CHECK(reference.report.rejected == 2);
  }
}

TEST_CASE("parallel score: a block as large as a size_t holds still finds repeated ids",
          "[parallel]") {
  // One block for the whole input, asked for with the largest block size.
  const std::string text = k_header + "\n" + row("R1") + "\n" + row("R2") + "\n" + row("R1") + "\n";
  const std::size_t max = std::numeric_limits<std::size_t>::max();
  for (const std::size_t block_bytes : {max / 2, max - 1, max}) {
    for (const unsigned threads : {1U, 2U}) {
      CAPTURE(block_bytes, threads);
      const Run run = score_memory(text, OutputFormat::csv, threads, block_bytes);
      CHECK(run.events ==
            std::vector<std::string>{event("reject", 4, "R1", "Referral ID", duplicate("R1", 2))});
      check_same(run, score_stream(text, OutputFormat::csv));
    }
  }
}

TEST_CASE("parallel score: many rows with repeats, blank lines and line breaks", "[parallel]") {
  Expected expected;
  const std::string text = generated_text(160, 120, expected);
  const Run reference = check_same_as_stream(text, {7, 64, 300, 4096, k_default_block});
  CHECK(reference.events == expected.events);
  CHECK(reference.report.rows_read == expected.rows);
  CHECK(reference.report.rejected == expected.rejected);
  CHECK(reference.report.warnings == expected.warnings);
}

TEST_CASE("parallel score: an unterminated quote late in the file is the same error every way",
          "[parallel][bad-input]") {
  std::string body;
  std::size_t line = 2;
  for (int i = 0; i < 30; ++i) {
    const bool two_lines = i % 4 == 1;
    body += row("U" + std::to_string(i), two_lines ? "\"two\nlines\"" : "") + "\n";
    line += two_lines ? 2 : 1;
  }
  SECTION("on the line the record starts on") {
    const std::string open = "U30,Triaged,South,";
    const std::string text = k_header + "\n" + body + open + "\"URTS,OX12,AM,OD\n" + row("U31") +
                             "\n" + row("U32") + "\n";
    const std::string what = "referrals.csv:" + std::to_string(line) + ":" +
                             std::to_string(open.size() + 1) +
                             ": unterminated quoted field (the quote opened here is never closed)";
    check_error_everywhere(text, what);
    check_error_everywhere("\xEF\xBB\xBF" + with_crlf(text), what);
  }
  SECTION("on a later line of a record that spans lines") {
    // The record opens on `line`; its Ward closes on the next, then a quote opens.
    const std::string text = k_header + "\n" + body +
                             "U40,Triaged,South,URTS,OX12,AM,OD,No,0.5,3.5,Simple,CRS,URTS,\"a\n"
                             "b\",\"02/12/2019,06/12/2019,Mobile with 1 staff\n" +
                             row("U41") + "\n";
    const std::string what =
        "referrals.csv:" + std::to_string(line + 1) +
        ":4: unterminated quoted field (the quote opened here is never closed)";
    check_error_everywhere(text, what);
  }
}

TEST_CASE("parallel score: binary data late in the file is the same error every way",
          "[parallel][bad-input]") {
  std::string text = k_header + "\n";
  for (int i = 0; i < 20; ++i) {
    text += row("B" + std::to_string(i)) + "\n";
  }
  text += row(std::string("B\0X", 3)) + "\n" + row("B99") + "\n";  // line 22
  check_error_everywhere(text,
                         "referrals.csv:22: a NUL byte: this is binary data, not CSV text; save "
                         "the file from the spreadsheet as 'CSV UTF-8'");
}

TEST_CASE("parallel score: of two errors, the one earlier in the file is reported",
          "[parallel][bad-input]") {
  // One reader from the top meets the NUL byte on line 12 first; the problems
  // further down are never reached.
  std::string text = k_header + "\n";
  for (int i = 0; i < 10; ++i) {
    text += row("E" + std::to_string(i)) + "\n";
  }
  text += row(std::string("E\0X", 3)) + "\n";  // line 12
  for (int i = 11; i < 20; ++i) {
    text += row("E" + std::to_string(i)) + "\n";
  }
  const std::string nul =
      "referrals.csv:12: a NUL byte: this is binary data, not CSV text; save the file from the "
      "spreadsheet as 'CSV UTF-8'";
  SECTION("a NUL byte, then an unterminated quote") {
    check_error_everywhere(text + "E20,Triaged,\"South\n" + row("E21") + "\n", nul);
  }
  SECTION("a NUL byte, then a field over the limit") {
    engine::CsvOptions csv;
    csv.max_field_bytes = 40;
    check_error_everywhere(text + row("E20", std::string(41, 'w')) + "\n", nul, csv);
  }
  SECTION("an unterminated quote, then a NUL byte") {
    // Line 2's quote is never closed: the NUL byte after it is inside its field.
    check_error_everywhere(k_header + "\nE0,Triaged,\"South\n" + text.substr(k_header.size() + 1),
                           "referrals.csv:2:12: unterminated quoted field (the quote opened here "
                           "is never closed)");
  }
}

TEST_CASE("parallel score: an empty file, or a header with no rows, is the stream's error",
          "[parallel][bad-input]") {
  const std::string no_rows = "referrals.csv: the file has a header but no referral rows";
  const std::string empty = "referrals.csv: the file is empty; expected a header row";
  struct Case {
    std::string text;
    std::string what;
  };
  const std::vector<Case> cases{
      {"", empty},
      {"\n\r\n\n", empty},
      {k_header, no_rows},
      {k_header + "\n", no_rows},
      {k_header + "\n\n\r\n\n", no_rows},
      {"\xEF\xBB\xBF" + k_header + "\r\n\r\n", no_rows},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    check_error_everywhere(c.text, c.what);
    check_same_as_stream(c.text);  // what was written before the error, too
  }
}

TEST_CASE("parallel score: a mapped file whose pages are given back scores as the stream does",
          "[parallel][mapped]") {
  const tests::TempDir dir;
  Expected expected;
  for (const std::string& text : {tests::slurp(k_source_dir + "/sample-data/referrals.csv"),
                                  awkward_text(), generated_text(200, 150, expected)}) {
    const auto path = dir.write("referrals.csv", text);
    const auto mapped = engine::MappedFile::open(path);
    REQUIRE(mapped.has_value());
    REQUIRE(mapped->bytes() == text);
    for (const OutputFormat format : {OutputFormat::csv, OutputFormat::json}) {
      const Run reference = score_stream(text, format);
      for (const unsigned threads : {1U, 3U}) {
        for (const std::size_t block_bytes : {std::size_t{7}, std::size_t{64}, k_default_block}) {
          CAPTURE(format_name(format), threads, block_bytes);
          check_same(score_memory(mapped->bytes(), format, threads, block_bytes, &*mapped),
                     reference);
        }
      }
    }
    CHECK(mapped->bytes() == text);  // given-back pages read back the same
  }
}

TEST_CASE("parallel score: a field or record over the limit is the same error every way",
          "[parallel][bad-input]") {
  std::string text = k_header + "\n";
  for (int i = 0; i < 20; ++i) {
    text += row("L" + std::to_string(i), i % 3 == 0 ? "\"short\nward\"" : "") + "\n";
  }
  const std::size_t line = 2 + 20 + 7;  // rows 0, 3, ..., 18 take two lines
  SECTION("a field") {
    engine::CsvOptions csv;
    csv.max_field_bytes = 40;
    const std::string ward(41, 'w');
    check_error_everywhere(text + row("L20", ward) + "\n" + row("L21") + "\n",
                           "referrals.csv:" + std::to_string(line) +
                               ": field 14 is longer than 40 bytes (the limit; see "
                               "--max-field-bytes)",
                           csv);
  }
  SECTION("a record") {
    engine::CsvOptions csv;
    csv.max_record_bytes = 300;
    const std::string long_row = row("L20", std::string(300 - row("L20").size() + 1, 'w'));
    REQUIRE(long_row.size() == 301);
    check_error_everywhere(text + long_row + "\n" + row("L21") + "\n",
                           "referrals.csv:" + std::to_string(line) +
                               ": record is longer than 300 bytes (the limit); is a quote missing "
                               "its closing quote?",
                           csv);
  }
}

TEST_CASE("parallel score: progress is reported on the calling thread, up to the whole input",
          "[parallel]") {
  Expected expected;
  const std::string text = generated_text(100, 100, expected);
  engine::ScoreRequest request;
  request.rules = &engine::default_rules();
  request.as_of = *engine::make_date(2019, 12, 16);
  request.threads = 3;
  request.block_bytes = 500;
  std::vector<engine::Progress> seen;
  bool other_thread = false;
  const auto caller = std::this_thread::get_id();
  request.on_progress = [&](const engine::Progress& progress) {
    other_thread = other_thread || std::this_thread::get_id() != caller;
    seen.push_back(progress);
  };
  std::ostringstream out;
  const auto report = engine::score_referrals(request, engine::InputBytes{text}, out, nullptr);
  CHECK_FALSE(other_thread);
  REQUIRE_FALSE(seen.empty());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CAPTURE(i);
    CHECK(seen[i].bytes_total == text.size());
    if (i > 0) {
      CHECK(seen[i].bytes_done >= seen[i - 1].bytes_done);
      CHECK(seen[i].rows >= seen[i - 1].rows);
    }
  }
  CHECK(seen.back().bytes_done == text.size());
  CHECK(seen.back().rows == 100);
  CHECK(report.rows_read == 100);
}

TEST_CASE("parallel score: a file of fewer blocks than threads binds a scorer per block only",
          "[parallel]") {
  // Each worker's Scorer is bound to the rule set when the input is, so a file
  // of one block (a daily list) gets one worker, plus the taker's scorer.
  const engine::RuleSet& rules = engine::default_rules();
  const engine::Date as_of = *engine::make_date(2019, 12, 16);
  const std::string body = row("S1") + "\n" + row("S2") + "\n" + row("S3") + "\n";
  const std::string text = k_header + "\n" + body;
  const engine::InputBytes input{text};
  const std::string source = "referrals.csv";
  const engine::CsvOptions csv;
  const auto bound = [&](unsigned threads, std::size_t block_bytes) {
    const engine::detail::BoundInput b(input, source, csv, rules, as_of, true, threads,
                                       block_bytes);
    CHECK(b.scorers.size() == b.threads + 1);
    return b.threads;
  };
  CHECK(bound(4, k_default_block) == 1);
  CHECK(bound(1, k_default_block) == 1);
  // In blocks of 50 bytes the rows make more blocks than threads: each thread
  // asked for is a worker.
  CHECK(bound(4, 50) == 4);
  CHECK(bound(2, 50) == 2);
  CHECK(bound(1, 50) == 1);
}
