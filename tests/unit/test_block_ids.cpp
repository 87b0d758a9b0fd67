// engine::detail::read_block_ids, the first pass's reader of a block's ids,
// against what it stands in for: read_block with the CsvReader reading field
// id_column of each record, a NUL refused as reject_binary_record refuses it,
// and the trimmed id hashed. On random files of the records that are simple
// (read from the masks) and those that are not (left to the CsvReader) mixed
// at random, started and limited anywhere a pass may start or stop, the two
// must agree on every record's hash, the block's end, its lines and rows, and
// any error, word for word.
#include <engine/csv_reader.hpp>
#include <engine/detail/block_ids.hpp>
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/record_blocks.hpp>
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/mapped_file.hpp>
#include <engine/text.hpp>
#include <tests/support/block_ids_reference.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using engine::detail::BlockRead;
using engine::detail::BlockScan;
using engine::detail::IdHashes;

namespace {

using tests::ids_read_by_csv_reader;

void check_same(const BlockRead<IdHashes>& read, const BlockRead<IdHashes>& expected) {
  CHECK(tests::error_text(read.error) == tests::error_text(expected.error));
  if (!expected.error) {
    CHECK(read.end == expected.end);
    CHECK(read.newlines == expected.newlines);
    CHECK(read.rows == expected.rows);
    CHECK(read.found == expected.found);
  }
  CHECK(tests::same_block_ids(read, expected));
}

// A field of each kind the masks must either read exactly or hand over.
std::string random_field(std::mt19937_64& random, char delimiter) {
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  static const char* const k_words[] = {"R00017", "  padded id ", "Leeds", "",
                                        "x",      "2020-03-01",   "a b c"};
  switch (pick(18)) {
    case 0:
      return "\"" + std::string(1, delimiter) + " quoted, with delimiter\"";
    case 1:
      return "\"say \"\"hi\"\" twice\"";  // doubled quotes
    case 2:
      return "\"\"\"\"";  // a field that is one quote
    case 3:
      return "\"two\nlines\"";
    case 4:
      return "\"crlf\r\ninside\"";
    case 5:
      return "stray\"quote";  // kept literally, read by the CsvReader
    case 6:
      return "\"closed\"then text";
    case 7:
      return std::string("nul") + '\0' + "byte";
    case 8:
      return std::string(pick(6000), 'L');  // past the masks' 4 KiB
    case 9:
      return "lone\rcr";
    case 12:
      // A quote inside an unquoted field is literal, though quotes pair up to
      // its end: the delimiter between them parts two fields.
      return "stray\"quote" + std::string(1, delimiter) + "to\"";
    case 13:
      // Text after a closing quote is literal, a quote in it too.
      return "\"closed\"then\"more" + std::string(1, delimiter) + "text\"";
    case 10:
      return "\"  quoted padded  \"";
    case 11:
      return "\"\"";  // empty and quoted
    default:
      return k_words[pick(std::size(k_words))];
  }
}

struct RandomFile {
  std::string text;
  std::vector<std::size_t> starts;  // after each line feed, where a pass may start
};

RandomFile random_file(std::mt19937_64& random, char delimiter) {
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  // Mostly simple records, so that the masks' runs are long and cross chunks.
  const std::size_t odd_one_in = 1 + pick(40);
  RandomFile file;
  file.starts.push_back(0);
  const std::size_t records = pick(120);
  for (std::size_t r = 0; r < records; ++r) {
    if (pick(12) == 0) {
      file.text += pick(2) == 0 ? "\n" : "\r\n";  // a blank line
    }
    const std::size_t fields = 1 + pick(6);
    for (std::size_t f = 0; f < fields; ++f) {
      if (f != 0) {
        file.text += delimiter;
      }
      if (pick(odd_one_in) == 0) {
        file.text += random_field(random, delimiter);
      } else {
        file.text += pick(3) == 0 ? "\"R" + std::to_string(random() % 100000) + "\""
                                  : "R" + std::to_string(random() % 100000);
      }
    }
    const bool last = r + 1 == records;
    if (last && pick(3) == 0) {
      if (pick(4) == 0) {
        file.text += ",\"unterminated";
      }
      break;  // no line ending on the last record
    }
    file.text += pick(3) == 0 ? "\r\n" : "\n";
  }
  for (std::size_t i = 0; i < file.text.size(); ++i) {
    if (file.text[i] == '\n') {
      file.starts.push_back(i + 1);
    }
  }
  return file;
}

}  // namespace

TEST_CASE("block ids: the masks read each block's ids, end and lines as the CsvReader does",
          "[blocks]") {
  std::mt19937_64 random(20191216);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  std::size_t cases = 0;
  for (int round = 0; round < 1500; ++round) {
    static const char k_delimiters[] = {',', ';', '\t', '|'};
    const char delimiter = k_delimiters[pick(std::size(k_delimiters))];
    const RandomFile file = random_file(random, delimiter);
    BlockScan scan;
    scan.input = engine::InputBytes{file.text};
    scan.source_name = "ids.csv";
    scan.csv.delimiter = delimiter;
    if (pick(8) == 0) {
      scan.csv.max_field_bytes = 1 + pick(3000);
      scan.csv.max_record_bytes = 1 + pick(5000);
    }
    scan.id_column = pick(5);
    for (int k = 0; k < 4; ++k) {
      const std::size_t start = file.starts[pick(file.starts.size())];
      const std::size_t limit =
          pick(4) == 0 ? file.text.size() + 1 : start + pick(file.text.size() - start + 1);
      const std::size_t line = 1 + pick(1000);
      const std::size_t rows_left = pick(3) == 0 ? pick(50) : SIZE_MAX;
      scan.max_rows = rows_left;
      CAPTURE(round, k, delimiter, scan.id_column, start, limit, line, rows_left,
              scan.csv.max_field_bytes, scan.csv.max_record_bytes, file.text);
      check_same(engine::detail::read_block_ids(scan, start, limit, line, rows_left),
                 ids_read_by_csv_reader(scan, start, limit, line, rows_left));
      ++cases;
    }
  }
  CHECK(cases == 6000);
}

TEST_CASE("block ids: a long run of simple records, read from the masks, agrees record for record",
          "[blocks]") {
  // Each record is simple, so the masks read them all, across many chunks,
  // with CRLF, quoted ids, padded ids and blank lines between.
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    switch (i % 5) {
      case 0:
        text += "R" + std::to_string(i) + ",Leeds,\"a, b\",2020-03-01\n";
        break;
      case 1:
        text += "\"R" + std::to_string(i) + "\",\"multi\nline\",x\r\n";
        break;
      case 2:
        text += " R" + std::to_string(i) + " ,,\"\"\n\n";
        break;
      case 3:
        text += "\"  R" + std::to_string(i / 2) + "\",y\r\n\r\n";  // repeats an earlier id
        break;
      default:
        text += ",no id\n";
        break;
    }
  }
  BlockScan scan;
  scan.input = engine::InputBytes{text};
  scan.source_name = "ids.csv";
  const auto read = engine::detail::read_block_ids(scan, 0, text.size(), 2, SIZE_MAX);
  const auto expected = ids_read_by_csv_reader(scan, 0, text.size(), 2, SIZE_MAX);
  REQUIRE(expected.rows == 5000);
  CHECK(expected.newlines == 6000 + 1000 + 1000);
  check_same(read, expected);
}
