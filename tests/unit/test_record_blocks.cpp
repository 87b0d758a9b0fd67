// engine::detail::scan_record_blocks: a file in memory cut into blocks of whole
// records. Each block, read alone by a CsvReader over memory starting on the
// block's line, must give exactly the records (fields, lines, offsets) that one
// reader from the top gives for those bytes, in order, whatever the block size
// and thread count, including where a guessed cut falls inside a quoted field.
#include <engine/csv_reader.hpp>
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/record_blocks.hpp>
#include <engine/errors.hpp>
#include <engine/mapped_file.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

using engine::CsvReader;
using engine::CsvRecord;
using engine::CsvStart;

namespace {

const std::size_t k_default_block = engine::detail::BlockScan{}.block_bytes;

struct Record {
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::size_t offset = 0;  // into the whole text
  bool operator==(const Record& other) const {
    return fields == other.fields && line == other.line && offset == other.offset;
  }
};

// The rest of the reader's records, their offsets moved by `base`.
std::vector<Record> read_rest(CsvReader& reader, std::size_t base) {
  std::vector<Record> records;
  CsvRecord record;
  while (reader.next(record)) {
    records.push_back(
        {{record.fields.begin(), record.fields.end()}, record.line, base + record.offset});
  }
  return records;
}

// One reader from the top: the header, then the body's records.
struct Whole {
  std::size_t body_start = 0;
  std::size_t body_line = 1;
  std::vector<Record> records;
};

Whole read_whole(std::string_view text) {
  CsvReader reader(text, "t.csv");
  CsvRecord header;
  REQUIRE(reader.next(header));
  Whole whole;
  whole.body_start = reader.offset();
  whole.body_line = reader.line();
  whole.records = read_rest(reader, 0);
  return whole;
}

engine::detail::RecordBlocks scan(std::string_view text, std::size_t block_bytes, unsigned threads,
                                  engine::detail::DuplicateCandidates& candidates) {
  CsvReader reader(text, "t.csv");
  CsvRecord header;
  REQUIRE(reader.next(header));
  return engine::detail::scan_record_blocks(
      {engine::InputBytes{text}, "t.csv", engine::CsvOptions{}, reader.offset(), reader.line(), 0,
       block_bytes, threads},
      candidates);
}

// The blocks' records, each block read alone from its start on its line.
std::vector<Record> read_blocks(std::string_view text, const engine::detail::RecordBlocks& blocks) {
  std::vector<Record> records;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::size_t start = blocks.starts[i];
    CsvReader reader(text.substr(start, blocks.starts[i + 1] - start), "t.csv", {},
                     CsvStart{blocks.lines[i], false});
    const auto block = read_rest(reader, start);
    records.insert(records.end(), block.begin(), block.end());
  }
  return records;
}

// Every block size from 1 to 50 bytes and the default, threads 1 to 3.
void check_blocks(const std::string& text) {
  const Whole whole = read_whole(text);
  std::vector<std::size_t> sizes;
  for (std::size_t size = 1; size <= 50; ++size) {
    sizes.push_back(size);
  }
  sizes.push_back(k_default_block);
  for (const unsigned threads : {1U, 2U, 3U}) {
    for (const std::size_t block_bytes : sizes) {
      CAPTURE(threads, block_bytes);
      engine::detail::DuplicateCandidates candidates;
      const auto blocks = scan(text, block_bytes, threads, candidates);
      REQUIRE(blocks.lines.size() + 1 == blocks.starts.size());
      CHECK(blocks.starts.front() == whole.body_start);
      CHECK(blocks.lines.front() == whole.body_line);
      CHECK(blocks.starts.back() == text.size());
      CHECK(std::is_sorted(blocks.starts.begin(), blocks.starts.end()));
      CHECK(blocks.rows == whole.records.size());
      CHECK(read_blocks(text, blocks) == whole.records);
    }
  }
}

const std::string k_header = "id,name,note\n";

// Guessed cuts land after every line break with blocks this small, so some
// land inside quoted fields, before text that looks like records.
const std::string k_quoted = k_header +
                             "1,\"a, b\",\"say \"\"hi\"\"\"\n"
                             "2,b,\"first\n"
                             "5,e,looks like a record\n"
                             "6,f,\"\"and another\"\"\n"
                             "\"\n"
                             "7,g,after\n";

// Read from just after its line break, the note opens a quote that nothing
// closes (no quote follows): a guessed block there fails, and is read again.
const std::string k_guess_fails = k_header +
                                  "1,a,x\n"
                                  "2,b,\"note\n"
                                  "\"\"\"\n"
                                  "3,c,plain\n"
                                  "4,d,plain\n";

}  // namespace

TEST_CASE("record blocks: plain LF and CRLF files cut into blocks of whole records", "[blocks]") {
  check_blocks(k_header + "1,a,x\n2,b,y\n3,c,z\n");
  check_blocks("\xEF\xBB\xBFid,name,note\r\n1,a,x\r\n2,b,y\r\n3,c,z\r\n");
  check_blocks(k_header + "1,a,x\n2,b,y\n3,c,z");  // no line break at the end
  check_blocks("id,name,note\r\n1,a,x\r\n2,b,y\r\n3,c,z\r");
}

TEST_CASE("record blocks: blank lines between records and at the end are skipped, lines kept",
          "[blocks]") {
  check_blocks(k_header + "\n\n1,a,x\n\r\n\n2,b,y\n\n\n\n3,c,z\n\n\r\n\n");
  check_blocks("id,name,note\r\n\r\n1,a,x\r\n\r\n\r\n2,b,y\r\n\r\n");
  check_blocks(k_header + "1,a,x\n  \n2,b,y\n\r\r\n3,c,z\n");  // not blank: records
}

TEST_CASE("record blocks: quoted fields with delimiters, quotes and line breaks stay whole",
          "[blocks]") {
  check_blocks(k_quoted);
  check_blocks(k_guess_fails);
  // One record spanning many guessed cuts.
  std::string long_note = k_header + "1,a,x\n2,b,\"";
  for (int i = 0; i < 40; ++i) {
    long_note += "l,\n";
  }
  long_note += "\"\n3,c,z\n";
  check_blocks(long_note);
  // Quoted fields in CRLF text, and quoted fields at the very end.
  check_blocks("id,name,note\r\n1,\"a\r\nb\",x\r\n\"2\",\"\r\n\",\"y\r\n\r\n\"\r\n");
}

TEST_CASE("record blocks: a file with no rows is one empty block", "[blocks]") {
  for (const std::string& text : {std::string("id,name,note"), k_header, k_header + "\n\r\n\n"}) {
    CAPTURE(text);
    check_blocks(text);
    engine::detail::DuplicateCandidates candidates;
    const auto blocks = scan(text, 1, 2, candidates);
    CHECK(blocks.rows == 0);
    CHECK(blocks.starts.back() == text.size());
  }
}

TEST_CASE("record blocks: a guessed cut inside a quoted multi-line field is corrected",
          "[blocks]") {
  struct Case {
    std::string text;
    std::size_t inner_break;  // the line break inside the quoted field
    std::size_t rows;
  };
  const std::vector<Case> cases{
      {k_quoted, k_quoted.find("\"first\n") + 6, 3},
      {k_guess_fails, k_guess_fails.find("\"note\n") + 5, 4},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const Whole whole = read_whole(c.text);
    REQUIRE(c.text[c.inner_break] == '\n');
    // The first guessed cut is just after the first line break at or past
    // body_start + block_bytes: here, the one inside the quotes.
    const std::size_t block_bytes = c.inner_break - whole.body_start;
    for (const unsigned threads : {1U, 2U, 3U}) {
      CAPTURE(threads);
      engine::detail::DuplicateCandidates candidates;
      const auto blocks = scan(c.text, block_bytes, threads, candidates);
      CHECK(std::find(blocks.starts.begin(), blocks.starts.end(), c.inner_break + 1) ==
            blocks.starts.end());
      CHECK(blocks.rows == c.rows);
      CHECK(read_blocks(c.text, blocks) == whole.records);
    }
  }
}

TEST_CASE("record blocks: an unterminated quote is an error naming where it opened", "[blocks]") {
  // Line 5 opens a quote, at column 5, that nothing closes (lines 3-4 are one record).
  const std::string text = k_header + "1,a,x\n2,\"b\nc\",y\n3,c,\"open\n4,d,z\n5,e,w\n";
  for (const unsigned threads : {1U, 2U, 3U}) {
    for (const std::size_t block_bytes :
         {std::size_t{1}, std::size_t{5}, std::size_t{13}, std::size_t{40}, k_default_block}) {
      CAPTURE(threads, block_bytes);
      engine::detail::DuplicateCandidates candidates;
      REQUIRE_THROWS_WITH(
          scan(text, block_bytes, threads, candidates),
          "t.csv:5:5: unterminated quoted field (the quote opened here is never closed)");
    }
  }
}

TEST_CASE("record blocks: a block size too large to add to the body's offset is one whole block",
          "[blocks]") {
  // body_start + block_bytes does not fit in a size_t: the first guessed cut
  // must still be the end of the input, not wrap round to the header.
  const Whole whole = read_whole(k_quoted);
  const std::size_t max = std::numeric_limits<std::size_t>::max();
  for (const std::size_t block_bytes :
       {max - whole.body_start, max - whole.body_start + 1, max - 1, max}) {
    for (const unsigned threads : {1U, 2U, 3U}) {
      CAPTURE(block_bytes, threads);
      engine::detail::DuplicateCandidates candidates;
      const auto blocks = scan(k_quoted, block_bytes, threads, candidates);
      CHECK(blocks.rows == whole.records.size());
      CHECK(read_blocks(k_quoted, blocks) == whole.records);
    }
  }
}

TEST_CASE("record blocks: every block is asked for once, the reading distance ahead", "[blocks]") {
  using engine::detail::blocks_to_read_ahead;
  constexpr std::size_t ahead = engine::detail::k_read_ahead_blocks;
  for (const std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{2}, ahead, ahead + 1,
                                  ahead + 2, 3 * ahead + 5, std::size_t{1000}}) {
    CAPTURE(count);
    std::vector<std::size_t> asked(count, 0);
    std::vector<std::size_t> asked_before(count, count);  // the block being read then
    for (std::size_t i = 0; i < count; ++i) {
      const auto span = blocks_to_read_ahead(i, count);
      REQUIRE(span.first <= span.last);
      REQUIRE(span.last <= count);
      for (std::size_t j = span.first; j < span.last; ++j) {
        ++asked[j];
        asked_before[j] = std::min(asked_before[j], i);
      }
    }
    for (std::size_t j = 0; j < count; ++j) {
      CAPTURE(j);
      CHECK(asked[j] == 1);
      // Block j is asked for before it is read, by block 0 or the block
      // k_read_ahead_blocks before it.
      CHECK(asked_before[j] == (j <= ahead ? 0 : j - ahead));
    }
  }
}

TEST_CASE("record blocks: a block's offset past the end, or too large to compute, is the end",
          "[blocks]") {
  using engine::detail::block_offset;
  const std::size_t max = std::numeric_limits<std::size_t>::max();
  CHECK(block_offset(100, 10, 30, 0) == 10);
  CHECK(block_offset(100, 10, 30, 3) == 100);  // 10 + 90: the end itself
  CHECK(block_offset(100, 10, 30, 4) == 100);
  CHECK(block_offset(100, 10, 45, 2) == 100);
  CHECK(block_offset(101, 10, 45, 2) == 100);
  CHECK(block_offset(100, 100, 1, 1) == 100);
  CHECK(block_offset(100, 120, 1, 0) == 100);
  // from + i * block_bytes would wrap round to a small number.
  CHECK(block_offset(100, 10, max - 5, 1) == 100);
  CHECK(block_offset(100, 10, max / 2 + 1, 2) == 100);
  CHECK(block_offset(100, 10, 1, max) == 100);
}
