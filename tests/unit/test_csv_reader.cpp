#include <engine/csv_reader.hpp>
#include <engine/csv_writer.hpp>
#include <engine/errors.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using engine::CsvOptions;
using engine::CsvReader;
using engine::CsvRecord;
using engine::InputError;
using engine::LineEnding;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

using Fields = std::vector<std::string>;

struct Read {
  std::vector<Fields> records;
  std::vector<std::size_t> lines;
  std::vector<std::size_t> rows;
  bool had_bom = false;
  LineEnding line_ending = LineEnding::lf;
};

// Reads all of `text`, copying the fields out (views die on the next call).
Read read_all(const std::string& text, CsvOptions options = {}) {
  std::istringstream input(text);
  CsvReader reader(input, "test.csv", options);
  Read result;
  CsvRecord record;
  while (reader.next(record)) {
    result.records.emplace_back(record.fields.begin(), record.fields.end());
    result.lines.push_back(record.line);
    result.rows.push_back(record.row);
  }
  result.had_bom = reader.had_bom();
  result.line_ending = reader.line_ending();
  return result;
}

std::vector<Fields> records_of(const std::string& text, CsvOptions options = {}) {
  return read_all(text, options).records;
}

constexpr std::size_t k_mib = std::size_t{1} << 20;
const std::string k_unterminated =
    "unterminated quoted field (the quote opened here is never closed)";

}  // namespace

TEST_CASE("CsvReader: plain LF records with line and row numbers", "[csv]") {
  const Read read = read_all("a,b,c\n1,2,3\n");
  CHECK(read.records == std::vector<Fields>{{"a", "b", "c"}, {"1", "2", "3"}});
  CHECK(read.lines == std::vector<std::size_t>{1, 2});
  CHECK(read.rows == std::vector<std::size_t>{1, 2});
  CHECK_FALSE(read.had_bom);
  CHECK(read.line_ending == LineEnding::lf);
}

TEST_CASE("CsvReader: empty input has no records", "[csv]") {
  std::istringstream input("");
  CsvReader reader(input, "empty.csv");
  CsvRecord record;
  CHECK_FALSE(reader.next(record));
  CHECK_FALSE(reader.next(record));  // and stays at the end
  CHECK(reader.line_ending() == LineEnding::lf);
  CHECK(reader.source_name() == "empty.csv");
}

TEST_CASE("CsvReader: input of only blank lines has no records", "[csv]") {
  CHECK(records_of("\n\n\r\n\r").empty());
  CHECK(records_of("\xEF\xBB\xBF").empty());
  CHECK(records_of("\xEF\xBB\xBF\r\n").empty());
}

TEST_CASE("CsvReader: empty fields are kept", "[csv]") {
  CHECK(records_of(",,\n") == std::vector<Fields>{{"", "", ""}});
  CHECK(records_of("a,\n") == std::vector<Fields>{{"a", ""}});
  CHECK(records_of("a,") == std::vector<Fields>{{"a", ""}});
  CHECK(records_of(",a\r\n") == std::vector<Fields>{{"", "a"}});
  CHECK(records_of("\"\"\n") == std::vector<Fields>{{""}});
  CHECK(records_of("\"\",\"\"\r\n") == std::vector<Fields>{{"", ""}});
}

TEST_CASE("CsvReader: quoted field with embedded comma", "[csv]") {
  CHECK(records_of("city,zip\n\"Anytown, WW\",08123\n") ==
        std::vector<Fields>{{"city", "zip"}, {"Anytown, WW", "08123"}});
  CHECK(records_of("\",\",\",,\"") == std::vector<Fields>{{",", ",,"}});
}

TEST_CASE("CsvReader: doubled quotes become one quote", "[csv]") {
  CHECK(records_of("\"ha \"\"ha\"\" ha\",x\n") == std::vector<Fields>{{"ha \"ha\" ha", "x"}});
  CHECK(records_of("\"\"\"\"\n") == std::vector<Fields>{{"\""}});
  CHECK(records_of("\"\"\"\"\"\"\n") == std::vector<Fields>{{"\"\""}});
  CHECK(records_of("\"a\"\"\",\"\"\"b\"\n") == std::vector<Fields>{{"a\"", "\"b"}});
}

TEST_CASE("CsvReader: several unescaped fields in one record stay correct", "[csv]") {
  // Each of these goes through m_scratch; the views must not overlap or dangle.
  const std::string text =
      "\"1\"\"\",plain,\"2\"\"2\",\"x\"y,\"" + std::string(5000, 'q') + "\"\"\"\n";
  CHECK(records_of(text) ==
        std::vector<Fields>{{"1\"", "plain", "2\"2", "xy", std::string(5000, 'q') + "\""}});
}

TEST_CASE("CsvReader: line breaks inside quoted fields are kept byte-exact", "[csv]") {
  const Read read = read_all("a,b\n\"one\ntwo\",\"three\r\nfour\"\nx,y\n");
  CHECK(read.records == std::vector<Fields>{{"a", "b"}, {"one\ntwo", "three\r\nfour"}, {"x", "y"}});
  CHECK(read.lines == std::vector<std::size_t>{1, 2, 5});
  CHECK(read.rows == std::vector<std::size_t>{1, 2, 3});
  // A lone CR inside quotes is kept too.
  CHECK(records_of("\"a\rb\"\n") == std::vector<Fields>{{"a\rb"}});
}

TEST_CASE("CsvReader: CRLF records do not keep the CR", "[csv]") {
  const Read read = read_all("a,b\r\n1,\r\n\"q\"\r\n3,4\r\n");
  CHECK(read.records == std::vector<Fields>{{"a", "b"}, {"1", ""}, {"q"}, {"3", "4"}});
  CHECK(read.lines == std::vector<std::size_t>{1, 2, 3, 4});
  CHECK(read.line_ending == LineEnding::crlf);
}

TEST_CASE("CsvReader: line_ending reports the first record's ending", "[csv]") {
  CHECK(read_all("a\r\nb\n").line_ending == LineEnding::crlf);
  CHECK(read_all("a\nb\r\n").line_ending == LineEnding::lf);
  CHECK(read_all("a").line_ending == LineEnding::lf);
  CHECK(read_all("\r\n\r\na\r\n").line_ending == LineEnding::crlf);
}

TEST_CASE("CsvReader: a CR not followed by LF is an ordinary byte", "[csv]") {
  CHECK(records_of("a\rb,c\n") == std::vector<Fields>{{"a\rb", "c"}});
  CHECK(records_of("\rx\n") == std::vector<Fields>{{"\rx"}});
  CHECK(records_of("a,b\r,c\n") == std::vector<Fields>{{"a", "b\r", "c"}});
  // At the very end of the input a CR is the end of the line, as in CRLF.
  CHECK(records_of("a,b\r") == std::vector<Fields>{{"a", "b"}});
}

TEST_CASE("CsvReader: a UTF-8 byte-order mark is stripped and reported", "[csv]") {
  const Read read = read_all(
      "\xEF\xBB\xBF"
      "id,name\n1,x\n");
  CHECK(read.had_bom);
  CHECK(read.records == std::vector<Fields>{{"id", "name"}, {"1", "x"}});

  const Read quoted = read_all("\xEF\xBB\xBF\"id\",name\n");
  CHECK(quoted.had_bom);
  CHECK(quoted.records == std::vector<Fields>{{"id", "name"}});

  // Only at the very start: later it is data.
  const Read later = read_all(
      "a\n\xEF\xBB\xBF"
      "b\n");
  CHECK_FALSE(later.had_bom);
  CHECK(later.records == std::vector<Fields>{{"a"},
                                             {"\xEF\xBB\xBF"
                                              "b"}});

  // Part of a BOM is not a BOM.
  CHECK(records_of("\xEF\xBB") == std::vector<Fields>{{"\xEF\xBB"}});
}

TEST_CASE("CsvReader: blank lines are skipped but still counted as lines", "[csv]") {
  const Read read = read_all("\n\r\na,b\n\n\n1,2\r\n\r\n\n3,4\n\n\n");
  CHECK(read.records == std::vector<Fields>{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  CHECK(read.lines == std::vector<std::size_t>{3, 6, 9});
  CHECK(read.rows == std::vector<std::size_t>{1, 2, 3});
}

TEST_CASE("CsvReader: a last record without a final newline is returned", "[csv]") {
  CHECK(records_of("a,b\n1,2") == std::vector<Fields>{{"a", "b"}, {"1", "2"}});
  CHECK(records_of("a,b\r\n1,\"2\"") == std::vector<Fields>{{"a", "b"}, {"1", "2"}});
  CHECK(records_of("x") == std::vector<Fields>{{"x"}});
}

TEST_CASE("CsvReader: line numbers count line breaks inside quoted fields", "[csv]") {
  const Read read = read_all(
      "h1,h2\n"
      "\"multi\n\nline\",1\n"
      "\n"
      "2,\"a\r\nb\"\r\n"
      "last,3");
  CHECK(read.records ==
        std::vector<Fields>{{"h1", "h2"}, {"multi\n\nline", "1"}, {"2", "a\r\nb"}, {"last", "3"}});
  CHECK(read.lines == std::vector<std::size_t>{1, 2, 6, 8});
  CHECK(read.rows == std::vector<std::size_t>{1, 2, 3, 4});
}

TEST_CASE("CsvReader: a quote inside an unquoted field is a literal byte", "[csv]") {
  CHECK(records_of("37'36.8\"N,x\"y\"\n") == std::vector<Fields>{{"37'36.8\"N", "x\"y\""}});
  CHECK(records_of(" \"a,b\"\n") == std::vector<Fields>{{" \"a", "b\""}});
}

TEST_CASE("CsvReader: text after a closing quote is appended literally", "[csv]") {
  CHECK(records_of("\"ab\"cd,e\n") == std::vector<Fields>{{"abcd", "e"}});
  CHECK(records_of("\"a\"\"b\"c\n") == std::vector<Fields>{{"a\"bc"}});
  CHECK(records_of("\"ab\"  ,x\r\n") == std::vector<Fields>{{"ab  ", "x"}});
  CHECK(records_of("\"ab\"c\"d\"\n") == std::vector<Fields>{{"abc\"d\""}});
  CHECK(records_of("\"ab\"cd") == std::vector<Fields>{{"abcd"}});
}

TEST_CASE("CsvReader: semicolon delimiter option", "[csv]") {
  CsvOptions options;
  options.delimiter = ';';
  CHECK(records_of("a;b,c;\"d;e\"\n1;2;3\n", options) ==
        std::vector<Fields>{{"a", "b,c", "d;e"}, {"1", "2", "3"}});
  options.delimiter = '\t';
  CHECK(records_of("a\tb c\t\"\t\"\n", options) == std::vector<Fields>{{"a", "b c", "\t"}});
}

TEST_CASE("CsvReader: a record holding a NUL byte is never said to be free of one", "[csv]") {
  // may_hold_nul false spares the callers a search for binary data: it must
  // be true for every record with a NUL byte, wherever it sits.
  const std::string plain =
      "R1,Triaged,South,URTS,OX12,\"AM, PM\",BD,No,1,7,Simple,CRS,URTS,,"
      "02/12/2019,06/12/2019,Mobile with 1 staff";
  std::string text;
  for (std::size_t at = 0; at <= plain.size(); at += 7) {
    text += plain + "\n";
    text += plain.substr(0, at) + '\0' + plain.substr(at) + "\n";
  }
  text += std::string(3, '\n');
  for (const std::size_t block : {std::size_t{64}, std::size_t{100}, std::size_t{1} << 20}) {
    CAPTURE(block);
    CsvOptions options;
    options.block_bytes = block;
    std::istringstream stream(text);
    CsvReader from_stream(stream, "test.csv", options);
    CsvReader from_memory(std::string_view(text), "test.csv", options);
    for (CsvReader* reader : {&from_stream, &from_memory}) {
      CsvRecord record;
      std::size_t nul_free = 0;
      while (reader->next(record)) {
        CAPTURE(record.line);
        if (record.bytes.find('\0') != std::string_view::npos) {
          CHECK(record.may_hold_nul);
        } else {
          nul_free += record.may_hold_nul ? 0 : 1;
        }
      }
      // Most records without one are known to be free of one as they are split.
      CHECK(nul_free > 0);
    }
  }
}

TEST_CASE("CsvReader: NUL bytes and invalid UTF-8 are just bytes", "[csv]") {
  const std::string text = "a\0b,\"\xFF\xFE\0\"\n\x80,\xC3\n"s;
  CHECK(records_of(text) == std::vector<Fields>{{"a\0b"s, "\xFF\xFE\0"s}, {"\x80", "\xC3"}});
  // Every byte value, unquoted except the ones that must be quoted.
  std::string all;
  for (int c = 0; c < 256; ++c) {
    if (c != ',' && c != '\n' && c != '\r' && c != '"') {
      all += static_cast<char>(c);
    }
  }
  CHECK(records_of(all + "\n") == std::vector<Fields>{{all}});
}

TEST_CASE("CsvReader: unterminated quoted field names where the quote opened", "[csv]") {
  SECTION("on the record's first line") {
    REQUIRE_THROWS_WITH(records_of("a,b\n1,\"open\nmore\n"), "test.csv:2:3: " + k_unterminated);
  }
  SECTION("after quoted fields that span lines") {
    REQUIRE_THROWS_WITH(records_of("x\n\"ok\nstill\",y,\"bad\nz"),
                        "test.csv:3:10: " + k_unterminated);
  }
  SECTION("after blank lines, at the start of a line") {
    REQUIRE_THROWS_WITH(records_of("a\n\n\r\n\"abc"), "test.csv:4:1: " + k_unterminated);
  }
  SECTION("a doubled quote at the end does not close the field") {
    REQUIRE_THROWS_WITH(records_of("\"abc\"\""), "test.csv:1:1: " + k_unterminated);
  }
  SECTION("the error carries a structured location") {
    try {
      records_of("id\n\n  ,\"x");
      FAIL("expected an InputError");
    } catch (const InputError& error) {
      CHECK(error.location().file == "test.csv");
      CHECK(error.location().line == 3);
      CHECK(error.location().column == 4);
      CHECK(error.message() == k_unterminated);
    }
  }
}

TEST_CASE("CsvReader: a record longer than the limit is an error", "[csv]") {
  CsvOptions options;
  options.max_record_bytes = 16;
  const std::string message =
      "record is longer than 16 bytes (the limit); is a quote missing its closing quote?";
  SECTION("a complete record") {
    REQUIRE_THROWS_WITH(records_of("a,b\n\n12345678901234567\n", options),
                        "test.csv:3: " + message);
  }
  SECTION("exactly the limit is accepted, whatever the line ending") {
    CHECK(records_of("1234567890123456\r\n1234567890123456\n1234567890123456", options) ==
          std::vector<Fields>{{"1234567890123456"}, {"1234567890123456"}, {"1234567890123456"}});
  }
  SECTION("a record still unfinished when the buffer is full") {
    // A missing closing quote swallows the rest of the file; the limit stops
    // it long before the end of input is reached.
    options.max_record_bytes = 1000;
    const std::string text = "h\n\"" + std::string(3 * k_mib, 'x');
    REQUIRE_THROWS_WITH(records_of(text, options),
                        "test.csv:2: record is longer than 1000 bytes (the limit); "
                        "is a quote missing its closing quote?");
  }
}

TEST_CASE("CsvReader: a field longer than the field limit is an error", "[csv]") {
  CsvOptions options;
  options.max_field_bytes = 5;
  CHECK(records_of("a,b\n12345,x\n", options) == std::vector<Fields>{{"a", "b"}, {"12345", "x"}});
  REQUIRE_THROWS_WITH(records_of("a,b\nx,\"123456\"\n", options),
                      "test.csv:2: field 2 is longer than 5 bytes (the limit; see "
                      "--max-field-bytes)");
}

TEST_CASE("CsvReader: a long quoted field crossing buffer boundaries", "[csv]") {
  // About 3 MiB: ordinary rows, then one quoted field of 1.5 MiB holding every
  // special sequence, starting before the first 1 MiB boundary and ending after
  // the second, then more rows.
  std::string big;
  std::string big_csv;
  for (std::size_t i = 0; big.size() < 3 * k_mib / 2; ++i) {
    const std::string piece = "chunk " + std::to_string(i) + ", \"quoted\"\r\n\n";
    big += piece;
  }
  for (const char c : big) {
    big_csv += c;
    if (c == '"') {
      big_csv += '"';
    }
  }
  std::string text = "id,value\r\n";
  std::vector<Fields> expected{{"id", "value"}};
  std::size_t row = 0;
  while (text.size() < k_mib - 1000) {
    text += std::to_string(row) + ",v" + std::to_string(row) + "\r\n";
    expected.push_back({std::to_string(row), "v" + std::to_string(row)});
    ++row;
  }
  text += "big,\"" + big_csv + "\"\r\n";
  expected.push_back({"big", big});
  const std::size_t big_line = expected.size();
  while (text.size() < 3 * k_mib) {
    text += std::to_string(row) + ",\"w" + std::to_string(row) + "\"\r\n";
    expected.push_back({std::to_string(row), "w" + std::to_string(row)});
    ++row;
  }
  CsvOptions options;
  options.max_field_bytes = 2 * k_mib;  // the big field is 1.5 MiB
  const Read read = read_all(text, options);
  REQUIRE(read.records.size() == expected.size());
  CHECK(read.records == expected);
  // Lines: one per record, plus the line breaks inside the big field.
  const auto big_breaks = static_cast<std::size_t>(std::count(big.begin(), big.end(), '\n'));
  CHECK(read.lines[big_line - 1] == big_line);
  CHECK(read.lines[big_line] == big_line + big_breaks + 1);
  CHECK(read.lines.back() == expected.size() + big_breaks);
  CHECK(read.rows.back() == expected.size());
}

TEST_CASE("CsvReader: a block boundary at every byte of a tricky record", "[csv]") {
  // The first record ends `shift` bytes before the 1 MiB block does, so the
  // block boundary falls `shift` bytes into the next record: in turn inside the
  // CRLF, the doubled quote, the closing quote, the trailing text, the delimiter.
  const std::string tricky = "\"a\"\"b\r\nc\"d,\"\",e\r\n";
  const Fields tricky_fields{"a\"b\r\ncd", "", "e"};
  for (std::size_t shift = 0; shift <= tricky.size(); ++shift) {
    INFO("shift " << shift);
    const std::string first(k_mib - 2 - shift, 'f');
    const std::string text = first + "\r\n" + tricky + "\r\n" + tricky + "z";
    const Read read = read_all(text);
    CHECK(read.records == std::vector<Fields>{{first}, tricky_fields, tricky_fields, {"z"}});
    CHECK(read.lines == std::vector<std::size_t>{1, 2, 5, 7});
  }
}

TEST_CASE("CsvReader: a stream that fails while reading is an error, not the end", "[csv]") {
  struct FailingBuffer : std::streambuf {
    int_type underflow() override { throw std::runtime_error("device error"); }
  };
  FailingBuffer buffer;
  std::istream input(&buffer);
  CsvReader reader(input, "broken.csv");
  CsvRecord record;
  REQUIRE_THROWS_WITH(reader.next(record), "broken.csv:1: could not read the input");
}

namespace {

// One generated record: its raw text (without the LF that ends it) and the
// fields a reader must give, worked out as it is built.
struct GeneratedRecord {
  std::string raw;
  Fields fields;
};

// Fields quoted and not, with delimiters, quotes, CRs and LFs inside quotes,
// doubled quotes, text after a closing quote and a quote inside an unquoted
// field: every case the reader's quick path for simple records must either
// read right or leave to the general parser.
GeneratedRecord generate_record(std::uint64_t& state) {
  const auto next = [&state](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  const auto pick = [&](std::string_view alphabet, std::size_t most) {
    std::string text;
    for (std::size_t n = next(most + 1); n > 0; --n) {
      text += alphabet[next(alphabet.size())];
    }
    return text;
  };
  GeneratedRecord record;
  // Half the records are simple (no quote but those around whole fields), as
  // most real ones are.
  const bool simple = next(2) == 0;
  const std::size_t count = 2 + next(next(4) == 0 ? 40 : 18);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) {
      record.raw += ',';
    }
    std::string value;
    if (next(3) == 0) {
      // Most simple quoted fields hold a delimiter, so they need their quotes.
      const std::string content =
          pick(simple ? "ab ,\n\r" : "ab ,\n\r\"", 24) + (simple && next(4) != 0 ? "," : "");
      std::string trail = !simple && next(6) == 0 ? pick("x\"\r", 2) : "";
      if (!trail.empty() && trail.front() == '"') {
        trail.front() = 'x';  // a quote right after the closing one doubles it
      }
      record.raw += '"';
      for (const char c : content) {
        record.raw += c == '"' ? "\"\"" : std::string(1, c);
      }
      record.raw += '"';
      record.raw += trail;
      value = content + trail;
    } else {
      value = pick(simple ? (next(4) == 0 ? "abc 1\r" : "abc 1") : "abc 1\r\"", 30);
      if (!value.empty() && value.front() == '"') {
        value.front() = 'q';  // a quote at the start would open a quoted field
      }
      record.raw += value;
    }
    record.fields.push_back(value);
  }
  // The CR before the LF ends the line (CRLF) unless it is inside quotes: a
  // last field that is unquoted, or has text after its closing quote, loses it.
  const bool last_quoted_whole = !record.raw.empty() && record.raw.back() == '"' &&
                                 record.fields.back().size() + 2 <= record.raw.size() &&
                                 record.raw.size() >= 2;
  if (!record.raw.empty() && record.raw.back() == '\r' && !last_quoted_whole) {
    record.fields.back().pop_back();
  }
  return record;
}

}  // namespace

// The first record where `read` and `expected` differ, shown escaped; "" if none.
std::string first_difference(const std::vector<Fields>& read, const std::vector<Fields>& expected,
                             const std::vector<std::size_t>& read_lines,
                             const std::vector<std::size_t>& lines) {
  const auto show = [](const Fields& fields) {
    std::string text;
    for (const auto& field : fields) {
      text += "[";
      for (const char c : field) {
        text += c == '\n' ? "\\n" : c == '\r' ? "\\r" : std::string(1, c);
      }
      text += "]";
    }
    return text;
  };
  for (std::size_t i = 0; i < std::max(read.size(), expected.size()); ++i) {
    if (i >= read.size() || i >= expected.size() || read[i] != expected[i] ||
        read_lines[i] != lines[i]) {
      return "record " + std::to_string(i + 1) + ": read " +
             (i < read.size() ? show(read[i]) + " at line " + std::to_string(read_lines[i])
                              : "nothing") +
             ", expected " +
             (i < expected.size() ? show(expected[i]) + " at line " + std::to_string(lines[i])
                                  : "nothing");
    }
  }
  return "";
}

TEST_CASE("CsvReader: generated records read as they were written, in memory and streamed",
          "[csv]") {
  std::uint64_t state = 20191216;
  std::string text;
  std::vector<Fields> expected;
  std::vector<std::size_t> lines;
  std::size_t line = 1;
  for (int i = 0; i < 4000; ++i) {
    const GeneratedRecord record = generate_record(state);
    text += record.raw + "\n";
    expected.push_back(record.fields);
    lines.push_back(line);
    line += static_cast<std::size_t>(std::count(record.raw.begin(), record.raw.end(), '\n')) + 1;
  }
  SECTION("in memory") {
    CsvReader reader(std::string_view(text), "test.csv");
    std::vector<Fields> records;
    std::vector<std::size_t> starts;
    CsvRecord record;
    std::size_t canonical = 0;
    while (reader.next(record)) {
      records.emplace_back(record.fields.begin(), record.fields.end());
      starts.push_back(record.line);
      if (record.canonical) {
        // Written again as the CSV writer writes, the fields are the bytes read.
        ++canonical;
        std::string written;
        engine::CsvWriterOptions options;
        options.neutralise_formulas = false;
        engine::CsvWriter(written, options).record(record.fields);
        std::string_view content = record.bytes.substr(0, record.bytes.size() - 1);
        if (!content.empty() && content.back() == '\r') {
          content.remove_suffix(1);
        }
        CHECK(written == std::string(content) + "\n");
      }
    }
    CHECK(canonical > 100);
    const std::string difference = first_difference(records, expected, starts, lines);
    CHECK(difference == "");
  }
  for (const std::size_t block : {std::size_t{16}, std::size_t{100}, k_mib}) {
    CAPTURE(block);
    CsvOptions options;
    options.block_bytes = block;
    const Read read = read_all(text, options);
    const std::string difference = first_difference(read.records, expected, read.lines, lines);
    CHECK(difference == "");
  }
}

namespace {

// What a reader gives, record by record: with next(), field `column` of each
// record (or nothing when it has none); with next_field(column), its one field.
// The reading stops at an error, whose message is the last entry.
std::vector<std::string> read_column(CsvReader& reader, std::size_t column, bool one_field) {
  std::vector<std::string> read;
  CsvRecord record;
  try {
    while (one_field ? reader.next_field(record, column) : reader.next(record)) {
      std::string field = "<none>";
      if (one_field) {
        REQUIRE(record.fields.size() <= 1);
        if (!record.fields.empty()) {
          field = "[" + std::string(record.fields[0]) + "]";
        }
      } else if (column < record.fields.size()) {
        field = "[" + std::string(record.fields[column]) + "]";
      }
      read.push_back(field + " line " + std::to_string(record.line) + " row " +
                     std::to_string(record.row) + " at " + std::to_string(record.offset) +
                     " bytes " + std::to_string(record.bytes.size()) +
                     (record.may_hold_nul ? " may hold NUL" : " NUL-free"));
    }
    read.push_back("end at " + std::to_string(reader.offset()) + " line " +
                   std::to_string(reader.line()));
  } catch (const InputError& error) {
    read.push_back(std::string("error: ") + error.what());
  }
  return read;
}

}  // namespace

TEST_CASE("CsvReader: next_field gives next()'s field, record for record, errors included",
          "[csv]") {
  // Generated records (plain ones and every other case), then bytes drawn
  // from the ones CSV cares about: unterminated quotes, lone CRs, NULs.
  std::uint64_t state = 20200301;
  std::vector<std::string> texts;
  std::string generated;
  for (int i = 0; i < 1500; ++i) {
    generated += generate_record(state).raw + (i % 5 == 0 ? "\r\n" : "\n");
  }
  texts.push_back(generated);
  const auto next = [&state](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  for (int t = 0; t < 40; ++t) {
    std::string text;
    const std::string_view alphabet = t % 2 == 0 ? "ab,,\"\n" : "ab,\",\n\r \0"sv;
    for (std::size_t n = 200 + next(1200); n > 0; --n) {
      text += alphabet[next(alphabet.size())];
    }
    texts.push_back(text);
  }
  // Quotes that open and close at every offset, across the reader's 64-byte
  // chunks: inside an unquoted field, with text after the closing one, and
  // fields quoted whole before a delimiter or a CRLF.
  std::string offsets;
  for (std::size_t at = 0; at < 200; ++at) {
    const std::string run(at, 'a');
    offsets += run + "\"b,c\",d\n";
    offsets += "\"" + run + "\"x,\"y\"\n";
    offsets += run + ",\"b\"\r\n";
    offsets += "x,\"" + run + "\",z\n";
  }
  texts.push_back(offsets);
  std::size_t compared = 0;
  for (std::size_t t = 0; t < texts.size(); ++t) {
    const std::string& text = texts[t];
    for (const std::size_t column : {0, 1, 2, 5, 17, 45}) {
      for (const std::size_t block : {std::size_t{16}, std::size_t{100}, k_mib}) {
        for (const std::size_t most : {std::size_t{40}, std::size_t{64} << 20}) {
          CAPTURE(t, column, block, most);
          CsvOptions options;
          options.block_bytes = block;
          options.max_record_bytes = most;
          options.max_field_bytes = most == 40 ? 20 : k_mib;
          std::istringstream stream_a(text);
          std::istringstream stream_b(text);
          CsvReader every_a(stream_a, "test.csv", options);
          CsvReader one_a(stream_b, "test.csv", options);
          CHECK(read_column(one_a, column, true) == read_column(every_a, column, false));
          CsvReader every_b(std::string_view(text), "test.csv", options);
          CsvReader one_b(std::string_view(text), "test.csv", options);
          const auto expected = read_column(every_b, column, false);
          CHECK(read_column(one_b, column, true) == expected);
          compared += expected.size();
        }
      }
    }
  }
  CHECK(compared > 50000);
}
