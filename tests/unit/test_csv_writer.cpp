#include <engine/csv_reader.hpp>
#include <engine/csv_writer.hpp>
#include <engine/errors.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using engine::ConfigError;
using engine::CsvReader;
using engine::CsvRecord;
using engine::CsvWriter;
using engine::CsvWriterOptions;
using engine::LineEnding;
using namespace std::string_literals;

namespace {

using Fields = std::vector<std::string>;

std::string write_all(const std::vector<Fields>& records, CsvWriterOptions options = {}) {
  std::ostringstream output;
  {
    CsvWriter writer(output, options);
    for (const Fields& fields : records) {
      writer.record(fields);
    }
    writer.flush();
  }
  return output.str();
}

std::vector<Fields> read_back(const std::string& text, char delimiter = ',') {
  std::istringstream input(text);
  engine::CsvOptions options;
  options.delimiter = delimiter;
  CsvReader reader(input, "round-trip", options);
  std::vector<Fields> records;
  CsvRecord record;
  while (reader.next(record)) {
    records.emplace_back(record.fields.begin(), record.fields.end());
  }
  return records;
}

// A stream whose every write fails, like a full disk.
struct FullDisk : std::streambuf {
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
  int_type overflow(int_type) override { return traits_type::eof(); }
};

const std::string k_write_error = "could not write the output (disk full or closed pipe?)";

}  // namespace

TEST_CASE("CsvWriter: plain fields are written unquoted", "[csv]") {
  CHECK(write_all({{"a", "b", "c"}, {"1", " two ", "3.5"}}) == "a,b,c\n1, two ,3.5\n");
}

TEST_CASE("CsvWriter: fields are quoted only when they must be", "[csv]") {
  CHECK(write_all({{"Anytown, WW"}}) == "\"Anytown, WW\"\n");
  CHECK(write_all({{"say \"hi\""}}) == "\"say \"\"hi\"\"\"\n");
  CHECK(write_all({{"\""}}) == "\"\"\"\"\n");
  CHECK(write_all({{"one\ntwo"}}) == "\"one\ntwo\"\n");
  CHECK(write_all({{"cr\rhere"}}) == "\"cr\rhere\"\n");
  CHECK(write_all({{"x\r\ny", "plain"}}) == "\"x\r\ny\",plain\n");
  CHECK(write_all({{"semi;colon", "it's", "tab\there"}}) == "semi;colon,it's,tab\there\n");
}

TEST_CASE("CsvWriter: the delimiter option decides what needs quotes", "[csv]") {
  CsvWriterOptions options;
  options.delimiter = ';';
  CHECK(write_all({{"a,b", "c;d", "e"}}, options) == "a,b;\"c;d\";e\n");
}

TEST_CASE("CsvWriter: CRLF line endings", "[csv]") {
  CsvWriterOptions options;
  options.line_ending = LineEnding::crlf;
  CHECK(write_all({{"a", "b"}, {"1", "line\nbreak"}}, options) == "a,b\r\n1,\"line\nbreak\"\r\n");
}

TEST_CASE("CsvWriter: the byte-order mark is written once, before the first byte", "[csv]") {
  CsvWriterOptions options;
  options.bom = true;
  CHECK(write_all({{"id"}, {"1"}}, options) ==
        "\xEF\xBB\xBF"
        "id\n1\n");
  CHECK(write_all({{"\"q\""}}, options) == "\xEF\xBB\xBF\"\"\"q\"\"\"\n");
  options.bom = false;
  CHECK(write_all({{"id"}}, options) == "id\n");
}

TEST_CASE("CsvWriter: raw_field is written as is", "[csv]") {
  std::ostringstream output;
  CsvWriter writer(output);
  writer.raw_field("12.50");
  writer.raw_field("\"pre-quoted\"");
  writer.field("a,b");
  writer.end_record();
  writer.flush();
  CHECK(output.str() == "12.50,\"pre-quoted\",\"a,b\"\n");
}

TEST_CASE("CsvWriter: record accepts views and strings", "[csv]") {
  std::ostringstream output;
  CsvWriter writer(output);
  const std::vector<std::string_view> views{"x", "y,z"};
  const std::vector<std::string> strings{"1", "2"};
  writer.record(views);
  writer.record(strings);
  writer.flush();
  CHECK(output.str() == "x,\"y,z\"\n1,2\n");
}

TEST_CASE("CsvWriter: a record of one empty field is not a blank line", "[csv]") {
  // Readers skip blank lines, so "" keeps the record.
  CHECK(write_all({{""}, {"", ""}, {"a", ""}}) == "\"\"\n,\na,\n");
  std::ostringstream output;
  CsvWriter writer(output);
  writer.raw_field("");
  writer.end_record();
  writer.flush();
  CHECK(output.str() == "\"\"\n");
}

TEST_CASE("CsvWriter: output is held until flush, then written", "[csv]") {
  std::ostringstream output;
  CsvWriter writer(output);
  writer.record(std::vector<std::string>{"a", "b"});
  CHECK(output.str().empty());
  writer.flush();
  CHECK(output.str() == "a,b\n");
}

TEST_CASE("CsvWriter: a large output is written out before flush", "[csv]") {
  std::ostringstream output;
  const std::string value(1000, 'v');
  std::size_t written = 0;
  {
    CsvWriter writer(output);
    for (int i = 0; i < 3000; ++i) {
      writer.field(value);
      writer.end_record();
      written += value.size() + 1;
    }
    // About 3 MB written, so at least 2 MiB must already be in the stream.
    CHECK(output.str().size() >= std::size_t{2} << 20);
    CHECK(output.str().size() < written);
  }
  // The destructor flushes the rest.
  CHECK(output.str().size() == written);
}

TEST_CASE("CsvWriter: a failing stream is a ConfigError on flush", "[csv]") {
  FullDisk full;
  std::ostream output(&full);
  CsvWriter writer(output);
  writer.record(std::vector<std::string>{"a", "b"});
  REQUIRE_THROWS_AS(writer.flush(), ConfigError);
  REQUIRE_THROWS_WITH(writer.flush(), k_write_error);
}

TEST_CASE("CsvWriter: a failing stream is reported during a large write", "[csv]") {
  FullDisk full;
  std::ostream output(&full);
  CsvWriter writer(output);
  const std::string value(1000, 'v');
  auto write_lots = [&] {
    for (int i = 0; i < 2000; ++i) {
      writer.field(value);
      writer.end_record();
    }
  };
  REQUIRE_THROWS_WITH(write_lots(), k_write_error);
}

TEST_CASE("CsvWriter: the destructor swallows write errors", "[csv]") {
  FullDisk full;
  std::ostream output(&full);
  auto write_and_destroy = [&] {
    CsvWriter writer(output);
    writer.record(std::vector<std::string>{"never", "written"});
  };
  REQUIRE_NOTHROW(write_and_destroy());
  CHECK(output.bad());
}

TEST_CASE("CsvWriter: formula-like text is written so a spreadsheet shows it as text", "[csv]") {
  struct Case {
    std::string value;
    std::string written;
  };
  const std::vector<Case> cases{
      {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
      {"+44 20 7946 0000", "'+44 20 7946 0000"},
      {"-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"},
      {"@SUM(A1:A2)", "'@SUM(A1:A2)"},
      {"\tTab", "'\tTab"},
      {"\rreturn", "\"'\rreturn\""},
      {"-3", "-3"},  // a number stays a number
      {"+2.5", "+2.5"},
      {"a=b", "a=b"},  // only the first character matters
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.value);
    std::ostringstream out;
    CsvWriter writer(out);
    writer.field(c.value);
    writer.raw_field("=1+1");  // raw fields are the program's own numbers: untouched
    writer.end_record();
    writer.flush();
    CHECK(out.str() == c.written + ",=1+1\n");
  }
}

TEST_CASE("CsvWriter: what it writes reads back unchanged", "[csv]") {
  const std::vector<Fields> records{
      {"id", "text", "empty", "spaces"},
      {"1", "comma, inside", "", " lead and trail "},
      {"2", "\"quoted\"", "\"", "\"\""},
      {"3", "line\nbreak", "crlf\r\ninside", "lone\rcr"},
      {"4", "ends with cr\r", "\r", "\n"},
      {"5", "nul\0byte"s, "\xFF\xFE invalid utf-8", "\xCA\xA4 valid"},
      {"6", "\"ab\"cd", "a\"b", "; semicolon"},
      {""},
      {"", ""},
      {"\xEF\xBB\xBF"
       "bom-looking value"},
  };
  for (const LineEnding ending : {LineEnding::lf, LineEnding::crlf}) {
    for (const bool bom : {false, true}) {
      for (const char delimiter : {',', ';', '\t'}) {
        INFO("crlf " << (ending == LineEnding::crlf) << ", bom " << bom << ", delimiter "
                     << static_cast<int>(delimiter));
        CsvWriterOptions options;
        options.line_ending = ending;
        options.bom = bom;
        options.delimiter = delimiter;
        options.neutralise_formulas = false;  // "\r" alone would gain an apostrophe
        CHECK(read_back(write_all(records, options), delimiter) == records);
      }
    }
  }
}
