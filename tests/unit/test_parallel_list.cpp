// The waiting list held in memory, read by several threads in blocks
// (engine::read_waiting_list over InputBytes), against the stream overload (the
// long-standing sequential reference): the same rows read, the same referrals
// field by field in the same order, the same unscorable rows, the same errors,
// whatever the thread count and block size, with and without a team filter.
// Then the parallel ranking (engine::rank_order) against a plain stable sort by
// engine::compare_referrals, and the pick-up CSV rendered in parts on several
// threads against itself on one. Where a value can be worked out by hand (a
// duplicate's reason and lines, a --max-rows message, the published scores), it
// is asserted exactly.
#include <engine/capacity.hpp>
#include <engine/date.hpp>
#include <engine/errors.hpp>
#include <engine/mapped_file.hpp>
#include <engine/pick_up.hpp>
#include <engine/pick_up_report.hpp>
#include <engine/provenance.hpp>
#include <engine/ranking.hpp>
#include <engine/rule_set.hpp>
#include <engine/waiting_list.hpp>
#include <tests/support/csv_table.hpp>
#include <tests/support/published_columns.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

const std::string k_source_dir = REABLEMENT_SOURCE_DIR;
const std::string k_spec_dir = REABLEMENT_SPEC_DIR;

const std::string& k_header = tests::k_published_header;
using tests::k_mobility_values;

const std::size_t k_default_block = engine::WaitingListRequest{}.block_bytes;
const std::vector<std::size_t> k_block_sizes{1, 7, 64, 300, k_default_block};

engine::Date published_as_of() {
  return *engine::make_date(2019, 12, 16);
}

std::string published_text() {
  return tests::slurp(k_source_dir + "/sample-data/referrals.csv");
}

using tests::published_row;

std::string lines_text(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += line + "\n";
  }
  return text;
}

// Lone LFs become CRLF (inside quoted fields too); CRLFs already there stay.
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

constexpr auto& duplicate = tests::duplicate_reason;

std::string too_many_rows(std::size_t line, std::size_t max_rows) {
  return "referrals.csv:" + std::to_string(line) + ": more than " + std::to_string(max_rows) +
         " rows (the limit, --max-rows): this command holds the list in memory; raise the "
         "limit, or use 'score', which streams";
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

struct ListRun {
  engine::WaitingList list;
  std::string error;  // what() of an engine::Error, if one was thrown
};

engine::WaitingListRequest make_request(const engine::RuleSet& rules, engine::Date as_of,
                                        const std::string& team, const engine::CsvOptions& csv) {
  engine::WaitingListRequest request;
  request.rules = &rules;
  request.as_of = as_of;
  request.input_name = "referrals.csv";
  request.team = team;
  request.csv = csv;
  return request;
}

// What one text is read with: rules, date, team filter and CSV options.
struct Reading {
  const engine::RuleSet* rules = &engine::default_rules();
  engine::Date as_of = published_as_of();
  std::string team;
  engine::CsvOptions csv;
};

ListRun read_stream(const std::string& text, const Reading& reading) {
  ListRun run;
  const auto request = make_request(*reading.rules, reading.as_of, reading.team, reading.csv);
  std::istringstream in(text);
  try {
    run.list = engine::read_waiting_list(request, in);
  } catch (const engine::Error& e) {
    run.error = e.what();
  }
  return run;
}

ListRun read_memory(std::string_view text, const Reading& reading, unsigned threads,
                    std::size_t block_bytes) {
  ListRun run;
  auto request = make_request(*reading.rules, reading.as_of, reading.team, reading.csv);
  request.threads = threads;
  request.block_bytes = block_bytes;
  try {
    run.list = engine::read_waiting_list(request, engine::InputBytes{text});
  } catch (const engine::Error& e) {
    run.error = e.what();
  }
  return run;
}

void check_same_referral(const engine::Referral& got, const engine::Referral& want) {
  CHECK(got.line == want.line);
  CHECK(got.id == want.id);
  CHECK(got.score == want.score);
  CHECK(got.key_numbers == want.key_numbers);
  CHECK(got.key_texts == want.key_texts);
  CHECK(got.team == want.team);
  CHECK(got.source == want.source);
  CHECK(got.package == want.package);
  CHECK(got.contract == want.contract);
  CHECK(got.wait_range == want.wait_range);
  CHECK(got.care_type == want.care_type);
  CHECK(got.visit_slots == want.visit_slots);
  CHECK(got.visit_slots_text == want.visit_slots_text);
  CHECK(got.double_handed == want.double_handed);
  CHECK(got.in_bed == want.in_bed);
  CHECK(got.daily_hours == want.daily_hours);
  CHECK(got.weekly_hours == want.weekly_hours);
  CHECK(got.days_waiting == want.days_waiting);
}

// "9 S104 | column | reason | team": one unscorable row, in a form that compares whole.
std::string unscorable_text(const engine::UnscorableReferral& u) {
  return std::to_string(u.row.line) + " " + u.row.id + " | " + u.row.column + " | " + u.row.reason +
         " | " + u.team;
}

std::vector<std::string> unscorable_texts(const engine::WaitingList& list) {
  std::vector<std::string> texts;
  for (const auto& u : list.unscorable) {
    texts.push_back(unscorable_text(u));
  }
  return texts;
}

std::vector<std::string> ids(const engine::WaitingList& list) {
  std::vector<std::string> result;
  for (std::size_t i = 0; i < list.referrals.size(); ++i) {
    result.push_back(std::to_string(list.referrals.line(i)) + " " +
                     std::string(list.referrals.id(i)));
  }
  return result;
}

void check_same(const ListRun& got, const ListRun& want) {
  CHECK(got.error == want.error);
  CHECK(got.list.source_name == want.list.source_name);
  CHECK(got.list.rows_read == want.list.rows_read);
  REQUIRE(got.list.referrals.size() == want.list.referrals.size());
  for (std::size_t i = 0; i < want.list.referrals.size(); ++i) {
    CAPTURE(i);
    check_same_referral(got.list.referrals[i], want.list.referrals[i]);
  }
  CHECK(unscorable_texts(got.list) == unscorable_texts(want.list));
}

// Reads `text` both ways for threads 1 to 3 and every block size; every memory
// run must equal the stream's. Returns the stream's run, for exact checks.
ListRun check_same_as_stream(const std::string& text, const Reading& reading = {},
                             const std::vector<std::size_t>& block_sizes = k_block_sizes) {
  const ListRun reference = read_stream(text, reading);
  for (const unsigned threads : {1U, 2U, 3U}) {
    for (const std::size_t block_bytes : block_sizes) {
      CAPTURE(reading.team, threads, block_bytes);
      check_same(read_memory(text, reading, threads, block_bytes), reference);
    }
  }
  return reference;
}

Reading for_team(const std::string& team) {
  Reading reading;
  reading.team = team;
  return reading;
}

// Repeated ids, line numbers in the comments.
std::string duplicates_text() {
  return lines_text({
      k_header,                                    // 1
      published_row("D1"),                         // 2 scored
      published_row("D1"),                         // 3 duplicate of 2
      published_row("D2", "South", "", "Flying"),  // 4 rejected: mobility
      published_row("D2"),                         // 5 scored: 4 was never seen
      published_row("D3", "North"),                // 6 scored, in North
      published_row("D3", " south "),              // 7 duplicate of 6 (another team)
      published_row(" D1 ", "North"),              // 8 duplicate of 2 (another team)
      published_row("D4", "south", "\"Bay 1,\n" + published_row("D4") + "\""),  // 9-10 scored
      published_row("D4"),                                                      // 11 duplicate of 9
  });
}

// Quoted fields over several lines, blank lines, bad rows and a duplicate whose
// first occurrence is in another team, line numbers in the comments.
std::string awkward_text() {
  const std::string moved = "\"moved from\n" + published_row("S199", "North") + "\nthen home\"";
  return lines_text({
      k_header,                                                                 // 1
      published_row("S101", "South", "\"Bay 3, bed 2\""),                       // 2
      published_row("S103", "South", moved),                                    // 3-5
      "",                                                                       // 6 blank
      "\r",                                                                     // 7 blank (CRLF)
      published_row("S104", "South", "", "Mobile with 1 staff", "31/02/2019"),  // 8 bad date
      published_row("S106").substr(0, published_row("S106").rfind(',')),        // 9 16 fields
      "x,y",                                                                    // 10 2 fields
      published_row("S105", "North", "\"ward\nwith a break\""),                 // 11-12
      published_row("S105"),                                                    // 13 dup of 11
      published_row("S107", "South", "\"note\n\"\"\""),                         // 14-15
      "",                                                                       // 16 blank
  });
}

std::string padded(std::size_t number, std::size_t width) {
  std::string digits = std::to_string(number);
  return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// `count` referrals in the published columns, every id distinct, in an order
// shuffled by a step prime to `count`: ids like "R000042", "R42" and
// "REF-000000042" (different lengths, long shared prefixes). Sources, mobility
// and dates take few values, so scores and days tie often and the id decides.
// Slots, packages and hours vary, so capacity blocks some and not others.
std::string generated_text(std::size_t count) {
  const std::vector<std::string> teams{"South", "North", " south "};
  const std::vector<std::string> sources{"URTS", "SPA", "ICB", "FIT"};
  const std::vector<std::string> mobilities{"Independent with mobility", "Mobile with 1 staff",
                                            "Mobile with 2 staff", "Immobile/Hoist"};
  const std::vector<std::string> dates{"02/12/2019", "25/11/2019", "10/12/2019", "16/12/2019"};
  // Level of support, package, daily and weekly hours: slots and package agree.
  const std::vector<std::string> care{"AM,OD,No,0.5,3.5", "\"AM, PM\",BD,Yes,1,7",
                                      "\"AM, Lunch, Tea\",TDS,No,1.5,10.5",
                                      "\"AM, Lunch, Tea, PM\",QDS,Yes,4,28"};
  std::string text = k_header + "\n";
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t k = (i * 7919 + 13) % count;
    // Ids of up to 14 bytes are kept inline, longer ones apart: both kinds.
    const std::string id = k % 3 == 0   ? "R" + padded(k, 6)
                           : k % 3 == 1 ? "R" + std::to_string(k)
                           : k % 2 == 0 ? "REF-" + padded(k, 9)
                                        : "REF-" + padded(k, 9) + "-LONGER-THAN-INLINE";
    text += id + ",Triaged," + teams[i % 3] + "," + sources[(i / 3) % 4] + ",OX12," +
            care[(i / 5) % 4] + ",Simple,CRS,Site,," + dates[(i / 7) % 4] + ",06/12/2019," +
            mobilities[(i / 11) % 4] + "\n";
  }
  return text;
}

// The same shape in alt-rules.toml's columns, whose ranking keys (urgency,
// mobility points, daily hours) are not whole numbers.
std::string generated_alt_text(std::size_t count) {
  const std::vector<std::string> referrers{"Acute Hospitals", "Community Hospitals", "OT/GP",
                                           "Self Referrals", "SPA"};
  const std::vector<std::string> moves{"Independent", "Walks with aid", "Needs one carer",
                                       "Needs two carers", "Bed-bound/Hoist"};
  const std::vector<std::string> hours{"0.5", "0.75", "1", "2.5", "4", "4.25", "6"};
  const std::vector<std::string> dates{"15/03/2024", "10/03/2024", "01/03/2024", "01/02/2024"};
  std::string text =
      "Referral ID,Team,Referral Source,Level of Support,Double Handed,Hours of Care "
      "(Daily),Referral/Discharge Notice Date,Mobility\n";
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t k = (i * 7919 + 5) % count;
    const std::string id = k % 2 == 0 ? "A" + std::to_string(k) : "ALT-0000000" + padded(k, 5);
    text += id + ",North," + referrers[i % 5] + ",AM," + (i % 3 == 0 ? "Yes" : "No") + "," +
            hours[(i / 2) % 7] + "," + dates[(i / 5) % 4] + "," + moves[(i / 3) % 5] + "\n";
  }
  return text;
}

const std::string k_date_reason =
    "'31/02/2019' is not a valid date; expected dd/mm/yyyy or yyyy-mm-dd";

}  // namespace

TEST_CASE("parallel list: the published scenario reads the same whatever the threads and blocks",
          "[parallel][list]") {
  const std::string text = published_text();
  const ListRun reference = check_same_as_stream(text);
  REQUIRE(reference.error.empty());
  CHECK(reference.list.rows_read == 33);
  CHECK(reference.list.unscorable.empty());
  // The scores and days are the published table's, read with 3 threads in small blocks.
  const ListRun run = read_memory(text, {}, 3, 64);
  const auto expected = tests::parse_csv_table(tests::slurp(k_spec_dir + "/seed-expected.csv"));
  REQUIRE(run.list.referrals.size() == expected.rows.size());
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    const engine::Referral r = run.list.referrals[i];
    CAPTURE(i);
    CHECK(r.id == expected.rows[i].at("Referral ID"));
    CHECK(r.line == i + 2);
    CHECK(r.score == std::stod(expected.rows[i].at("Prioritisation Score")));
    CHECK(r.days_waiting == std::stod(expected.rows[i].at("Days Waiting")));
    CHECK(r.wait_range == expected.rows[i].at("LOW Range"));
    CHECK(r.team == "South");
  }
}

TEST_CASE("parallel list: a team filter keeps the same referrals as the stream reference",
          "[parallel][list]") {
  const std::string text = published_text();
  SECTION("every published referral is South, whatever the case and spaces asked") {
    const ListRun reference = check_same_as_stream(text, for_team("  sOuTh "));
    CHECK(reference.list.rows_read == 33);
    CHECK(reference.list.referrals.size() == 33);
  }
  SECTION("a team with no referrals gives an empty list, still counting every row") {
    const ListRun reference = check_same_as_stream(text, for_team("West"));
    REQUIRE(reference.error.empty());
    CHECK(reference.list.rows_read == 33);
    CHECK(reference.list.referrals.empty());
    CHECK(reference.list.unscorable.empty());
  }
  SECTION("a rule set that names no team column is the same error every way") {
    Reading reading = for_team("North");
    const engine::RuleSet alt =
        engine::load_rules_file(k_source_dir + "/tests/data/alt-rules.toml");
    reading.rules = &alt;
    const std::string alt_text = tests::slurp(k_source_dir + "/tests/data/alt-referrals.csv");
    const ListRun reference = check_same_as_stream(alt_text, reading);
    CHECK(reference.error == alt.source_name + ": rule set " + alt.name +
                                 " does not say which column holds the team ([pick_up] team), "
                                 "so the list cannot be filtered by team");
  }
}

TEST_CASE("parallel list: a generated list of mixed teams and repeats reads as the stream does",
          "[parallel][list]") {
  // Its ids R1 and REF-000000002 repeat at the end, in South and in North.
  const std::string text = generated_text(1201) + published_row("R1") + "\n" +
                           published_row("REF-000000002", "North") + "\n";
  const std::vector<std::size_t> blocks{300, 4096, k_default_block};
  for (const std::string team : {"", "south", "NORTH"}) {
    const ListRun reference = check_same_as_stream(text, for_team(team), blocks);
    CHECK(reference.list.rows_read == 1203);
    CHECK(reference.list.unscorable.size() == (team.empty() ? 2 : 1));
  }
}

TEST_CASE("parallel list: a repeated id is a duplicate of its first scored row, in any team",
          "[parallel][list]") {
  const std::string text = duplicates_text();
  const std::string mobility = "'Flying' is not a known value; " + k_mobility_values;
  SECTION("all teams") {
    const ListRun reference = check_same_as_stream(text);
    CHECK(reference.list.rows_read == 9);
    CHECK(ids(reference.list) == std::vector<std::string>{"2 D1", "5 D2", "6 D3", "9 D4"});
    CHECK(unscorable_texts(reference.list) ==
          std::vector<std::string>{
              "3 D1 | Referral ID | " + duplicate("D1", 2) + " | South",
              "4 D2 | Mobility | " + mobility + " | South",
              "7 D3 | Referral ID | " + duplicate("D3", 6) + " | south",
              "8 D1 | Referral ID | " + duplicate("D1", 2) + " | North",
              "11 D4 | Referral ID | " + duplicate("D4", 9) + " | South",
          });
  }
  SECTION("one team: a first occurrence in another team still counts as seen") {
    for (const std::string team : {"south", " SOUTH  "}) {
      const ListRun reference = check_same_as_stream(text, for_team(team));
      CHECK(reference.list.rows_read == 9);
      CHECK(ids(reference.list) == std::vector<std::string>{"2 D1", "5 D2", "9 D4"});
      CHECK(unscorable_texts(reference.list) ==
            std::vector<std::string>{
                "3 D1 | Referral ID | " + duplicate("D1", 2) + " | South",
                "4 D2 | Mobility | " + mobility + " | South",
                "7 D3 | Referral ID | " + duplicate("D3", 6) + " | south",
                "11 D4 | Referral ID | " + duplicate("D4", 9) + " | South",
            });
    }
    const ListRun north = check_same_as_stream(text, for_team("north"));
    CHECK(ids(north.list) == std::vector<std::string>{"6 D3"});
    CHECK(unscorable_texts(north.list) ==
          std::vector<std::string>{"8 D1 | Referral ID | " + duplicate("D1", 2) + " | North"});
  }
}

TEST_CASE(
    "parallel list: many repeated ids in a mapped file, its pages given back, read as the "
    "stream does",
    "[parallel][list][mapped]") {
  // Rows 0-599 on lines 2-601: row i has id M(i % 400), so rows 400-599 repeat
  // rows 0-199; teams go South, North, City by row. Repeats are settled after
  // every row is read, by reading their records again from the file.
  const std::vector<std::string> teams{"South", "North", "City"};
  std::vector<std::string> lines{k_header};
  for (std::size_t i = 0; i < 600; ++i) {
    lines.push_back(published_row("M" + std::to_string(i % 400), teams[i % 3]));
  }
  const std::string text = lines_text(lines);
  const tests::TempDir dir;
  const auto mapped = engine::MappedFile::open(dir.write("referrals.csv", text));
  REQUIRE(mapped.has_value());
  for (const std::string team : {"", "north"}) {
    const Reading reading = for_team(team);
    const ListRun reference = read_stream(text, reading);
    REQUIRE(reference.error.empty());
    std::vector<std::string> want_ids;
    std::vector<std::string> want_duplicates;
    for (std::size_t i = 0; i < 600; ++i) {
      const bool wanted = team.empty() || i % 3 == 1;
      const std::string id = "M" + std::to_string(i % 400);
      if (i < 400 && wanted) {
        want_ids.push_back(std::to_string(i + 2) + " " + id);
      } else if (i >= 400 && wanted) {
        want_duplicates.push_back(std::to_string(i + 2) + " " + id + " | Referral ID | " +
                                  duplicate(id, i - 400 + 2) + " | " + teams[i % 3]);
      }
    }
    CHECK(ids(reference.list) == want_ids);
    CHECK(unscorable_texts(reference.list) == want_duplicates);
    for (const unsigned threads : {1U, 2U, 3U}) {
      for (const std::size_t block_bytes : {std::size_t{300}, std::size_t{4096}}) {
        CAPTURE(team, threads, block_bytes);
        auto request = make_request(*reading.rules, reading.as_of, reading.team, reading.csv);
        request.threads = threads;
        request.block_bytes = block_bytes;
        ListRun run;
        run.list =
            engine::read_waiting_list(request, engine::InputBytes{mapped->bytes(), &*mapped});
        check_same(run, reference);
      }
    }
  }
  CHECK(mapped->bytes() == text);  // given-back pages read back the same
}

TEST_CASE(
    "parallel list: quoted fields, blank lines, bad rows, a BOM and CRLF read as the stream does",
    "[parallel][list]") {
  const std::string lf = awkward_text();
  for (const std::string& text : {lf, with_crlf(lf), "\xEF\xBB\xBF" + with_crlf(lf)}) {
    CAPTURE(text.substr(0, 3));
    const ListRun all = check_same_as_stream(text);
    CHECK(all.list.rows_read == 8);
    CHECK(ids(all.list) == std::vector<std::string>{"2 S101", "3 S103", "11 S105", "14 S107"});
    CHECK(unscorable_texts(all.list) ==
          std::vector<std::string>{
              "8 S104 | Referral/Discharge Notice Date | " + k_date_reason + " | South",
              "9  |  | the row has 16 fields; the header has 17 | South",
              "10  |  | the row has 2 fields; the header has 17 | ",
              "13 S105 | Referral ID | " + duplicate("S105", 11) + " | South",
          });
    const ListRun south = check_same_as_stream(text, for_team(" South"));
    CHECK(ids(south.list) == std::vector<std::string>{"2 S101", "3 S103", "14 S107"});
    CHECK(unscorable_texts(south.list) == unscorable_texts(all.list));
    // A row whose team cannot be read is kept under every team.
    const ListRun north = check_same_as_stream(text, for_team("NORTH"));
    CHECK(ids(north.list) == std::vector<std::string>{"11 S105"});
    CHECK(unscorable_texts(north.list) ==
          std::vector<std::string>{"10  |  | the row has 2 fields; the header has 17 | "});
  }
}

TEST_CASE("parallel list: --max-rows is the same error every way, naming the first row over",
          "[parallel][list][bad-input]") {
  struct Case {
    std::string text;
    std::size_t max_rows;
    std::string team;
    std::string what;  // empty: no error
  };
  const std::string published = published_text();
  const std::string awkward = awkward_text();
  // Published rows are on lines 2 to 34; the awkward text's third row is on line
  // 8, its fourth on 9 and its eighth (last) on 14. Rows of every team count.
  const std::vector<Case> cases{
      {published, 1, "", too_many_rows(3, 1)},
      {published, 32, "", too_many_rows(34, 32)},
      {published, 32, "north", too_many_rows(34, 32)},
      {published, 33, "", ""},
      {awkward, 2, "", too_many_rows(8, 2)},
      {awkward, 7, "north", too_many_rows(14, 7)},
      {awkward, 8, "north", ""},
      {with_crlf(awkward), 3, "", too_many_rows(9, 3)},
  };
  for (const auto& c : cases) {
    CAPTURE(c.max_rows, c.team);
    Reading reading = for_team(c.team);
    reading.csv.max_rows = c.max_rows;
    const ListRun reference = check_same_as_stream(c.text, reading);
    CHECK(reference.error == c.what);
  }
}

TEST_CASE(
    "parallel list: --max-rows is reported before a CSV error further down, as the stream "
    "reports it",
    "[parallel][list][bad-input]") {
  // Five rows, then an unterminated quote (or a NUL byte) on line 7: the
  // stream stops at the fourth row (line 5) and never reads that far.
  std::string text = k_header + "\n";
  for (int i = 1; i <= 5; ++i) {
    text += published_row("M" + std::to_string(i)) + "\n";
  }
  for (const std::string& bad : {published_row("M6", "South", "\"never closed"),
                                 published_row("M6", "South", std::string("nul\0byte", 8))}) {
    CAPTURE(bad);
    Reading reading;
    reading.csv.max_rows = 3;
    const ListRun reference =
        check_same_as_stream(text + bad + "\n" + published_row("M7") + "\n", reading);
    CHECK(reference.error == too_many_rows(5, 3));
  }
}

namespace {

// The order rank_order must give, worked out the plain way: a stable sort of
// indices by compare_referrals over materialised Referrals.
std::vector<std::size_t> expected_order(const engine::RuleSet& rules,
                                        const engine::ReferralColumns& referrals) {
  std::vector<engine::Referral> all;
  for (std::size_t i = 0; i < referrals.size(); ++i) {
    all.push_back(referrals[i]);
  }
  std::vector<std::size_t> order(all.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return engine::compare_referrals(rules, all[a], all[b]).first_ranks_higher;
  });
  return order;
}

// How many neighbours in `order` were told apart only by the last ranking key.
std::size_t decided_by_last_key(const engine::RuleSet& rules,
                                const engine::ReferralColumns& referrals,
                                const std::vector<std::size_t>& order) {
  std::size_t count = 0;
  for (std::size_t i = 1; i < order.size(); ++i) {
    const auto comparison =
        engine::compare_referrals(rules, referrals[order[i - 1]], referrals[order[i]]);
    count += comparison.deciding_key == rules.order.size() - 1 ? 1 : 0;
  }
  return count;
}

void check_rank_order(const engine::RuleSet& rules, const engine::ReferralColumns& referrals) {
  const auto expected = expected_order(rules, referrals);
  for (const unsigned threads : {1U, 2U, 3U, 4U}) {
    CAPTURE(threads);
    CHECK(engine::rank_order(rules, referrals, threads) == expected);
  }
}

engine::WaitingList read_list(const std::string& text, const engine::RuleSet& rules,
                              engine::Date as_of) {
  Reading reading;
  reading.rules = &rules;
  reading.as_of = as_of;
  const ListRun run = read_memory(text, reading, 3, 4096);
  REQUIRE(run.error.empty());
  return run.list;
}

}  // namespace

TEST_CASE("parallel list: rank order is the compare_referrals order whatever the threads",
          "[parallel][list][rank]") {
  const engine::RuleSet& rules = engine::default_rules();
  SECTION("the published scenario") {
    const auto list = read_list(published_text(), rules, published_as_of());
    REQUIRE(list.referrals.size() == 33);
    check_rank_order(rules, list.referrals);
  }
  SECTION("a generated list with many ties, decided by ids of different lengths and prefixes") {
    const std::size_t count = 3001;
    const auto list = read_list(generated_text(count), rules, published_as_of());
    REQUIRE(list.referrals.size() == count);
    REQUIRE(list.unscorable.empty());
    check_rank_order(rules, list.referrals);
    // The ties are real: most neighbours differ only by id.
    CHECK(decided_by_last_key(rules, list.referrals, expected_order(rules, list.referrals)) >
          count / 2);
    // And the same generated list read by the stream ranks the same.
    std::istringstream in(generated_text(count));
    const auto streamed =
        engine::read_waiting_list(make_request(rules, published_as_of(), "", {}), in);
    CHECK(engine::rank_order(rules, streamed.referrals, 3) ==
          expected_order(rules, list.referrals));
  }
  SECTION("ids compared byte by byte: R1 before R10 before R2, and long shared prefixes") {
    // Equal scores, days and dates: only the ids differ.
    const std::string text = lines_text(
        {k_header, published_row("R2"), published_row("REF-000000002"), published_row("R10"),
         published_row("REF-000000001"), published_row("R1"), published_row("REF-00000000")});
    const auto list = read_list(text, rules, published_as_of());
    const std::vector<std::size_t> by_id{4, 2, 0, 5, 3, 1};  // R1 R10 R2 REF-00000000 ...1 ...2
    check_rank_order(rules, list.referrals);
    for (const unsigned threads : {1U, 2U, 3U, 4U}) {
      CAPTURE(threads);
      CHECK(engine::rank_order(rules, list.referrals, threads) == by_id);
    }
  }
  SECTION("ids of a few distinct bytes and of many, some above 127, of different lengths") {
    // Equal scores, days and dates: only the ids differ, and the leading bytes
    // of an id are packed by their rank among the bytes the ids use.
    const std::vector<std::string> alphabets{
        "0123456789",
        "0123456789 -/ABCabc~",
        // Every printable ASCII byte but the CSV's delimiter and quote, and UTF-8.
        [] {
          std::string bytes;
          for (char c = '!'; c <= '~'; ++c) {
            if (c != ',' && c != '"') {
              bytes += c;
            }
          }
          return bytes + "\xC3\xA9\xE2\x82\xAC\xC3\xBF";
        }(),
    };
    for (const std::string& alphabet : alphabets) {
      CAPTURE(alphabet);
      std::vector<std::string> lines{k_header};
      std::uint32_t random = 12345;
      for (std::size_t i = 0; i < 700; ++i) {
        std::string id = i % 3 == 0 ? "ID" : "I";
        random = random * 1103515245U + 12345U;
        const std::size_t length = 1 + (random >> 16) % 14;
        for (std::size_t c = 0; c < length; ++c) {
          random = random * 1103515245U + 12345U;
          id += alphabet[(random >> 16) % alphabet.size()];
        }
        lines.push_back(published_row(id));
      }
      const auto list = read_list(lines_text(lines), rules, published_as_of());
      REQUIRE(list.unscorable.size() + list.referrals.size() == 700);
      check_rank_order(rules, list.referrals);
      CHECK(decided_by_last_key(rules, list.referrals, expected_order(rules, list.referrals)) ==
            list.referrals.size() - 1);
    }
  }
  SECTION("more than 65,536 ids alike in every byte a prefix holds, sorted on every thread") {
    // "A" or "B", 15 zeros, then a number: the packed bytes tell only A from B,
    // so each letter's ids are one long run for the full comparison.
    std::vector<std::string> lines{k_header};
    for (std::size_t i = 0; i < 140000; ++i) {
      std::string number = std::to_string((i * 7919) % 140000);
      lines.push_back(published_row((i % 2 == 0 ? "A" : "B") + std::string(15, '0') +
                                    std::string(6 - number.size(), '0') + number));
    }
    const auto list = read_list(lines_text(lines), rules, published_as_of());
    REQUIRE(list.referrals.size() == 140000);
    check_rank_order(rules, list.referrals);
  }
  SECTION("a first key of more distinct fractions than a prefix packs: the full comparison") {
    // Daily hours 0.10000 to 0.79999 (weekly 7 times that), first in the order:
    // 70,000 values that are not whole, too many to pack, so no prefix is set.
    const std::string base(engine::default_rules_text());
    const engine::RuleSet by_hours = engine::load_rules(
        replace_once(base, "  \"prioritisation_score desc\",\n", "  \"daily_hours desc\",\n"),
        "by-hours.toml");
    std::vector<std::string> lines{k_header};
    const auto decimal = [](std::size_t hundred_thousandths) {
      const std::string digits = std::to_string(100000 + hundred_thousandths % 100000);
      return std::to_string(hundred_thousandths / 100000) + "." + digits.substr(1);
    };
    for (std::size_t i = 0; i < 70000; ++i) {
      const std::size_t daily = 10000 + (i * 7919) % 70000;
      lines.push_back(replace_once(published_row("H" + std::to_string(i)), ",0.5,3.5,",
                                   "," + decimal(daily) + "," + decimal(7 * daily) + ","));
    }
    const auto list = read_list(lines_text(lines), by_hours, published_as_of());
    REQUIRE(list.referrals.size() == 70000);
    check_rank_order(by_hours, list.referrals);
  }
  SECTION("an id key descending, and an id as the only key") {
    const std::string text = generated_text(2003);
    const std::string base(engine::default_rules_text());
    const engine::RuleSet descending =
        engine::load_rules(replace_once(base, "\"id asc\"", "\"id desc\""), "id-desc.toml");
    const engine::RuleSet only_id = engine::load_rules(
        replace_once(base,
                     "  \"prioritisation_score desc\",\n  \"days_waiting desc\",\n  "
                     "\"referral_date asc\",\n  \"id asc\",",
                     "  \"id desc\","),
        "only-id.toml");
    for (const engine::RuleSet* edited : {&descending, &only_id}) {
      CAPTURE(edited->source_name);
      const auto list = read_list(text, *edited, published_as_of());
      REQUIRE(list.referrals.size() == 2003);
      check_rank_order(*edited, list.referrals);
    }
  }
  SECTION("keys that are not whole numbers (tests/data/alt-rules.toml)") {
    const engine::RuleSet alt =
        engine::load_rules_file(k_source_dir + "/tests/data/alt-rules.toml");
    const engine::Date as_of = *engine::make_date(2024, 3, 15);
    const auto fixture =
        read_list(tests::slurp(k_source_dir + "/tests/data/alt-referrals.csv"), alt, as_of);
    REQUIRE(fixture.referrals.size() == 11);  // A12's mobility is not one of this rule set's
    REQUIRE(fixture.unscorable.size() == 1);
    check_rank_order(alt, fixture.referrals);
    const auto list = read_list(generated_alt_text(2500), alt, as_of);
    REQUIRE(list.referrals.size() == 2500);
    // The keys really are fractional: some urgency and some daily hours are not whole.
    bool fractional_score = false;
    bool fractional_hours = false;
    for (const auto& r : list.referrals) {
      fractional_score = fractional_score || r.key_numbers[0] != static_cast<int>(r.key_numbers[0]);
      fractional_hours = fractional_hours || r.key_numbers[2] != static_cast<int>(r.key_numbers[2]);
    }
    CHECK(fractional_score);
    CHECK(fractional_hours);
    check_rank_order(alt, list.referrals);
  }
  SECTION("an empty list (a team with no referrals)") {
    Reading reading = for_team("West");
    const ListRun run = read_memory(published_text(), reading, 2, 64);
    REQUIRE(run.list.referrals.empty());
    for (const unsigned threads : {1U, 2U, 3U, 4U}) {
      CHECK(engine::rank_order(rules, run.list.referrals, threads).empty());
    }
  }
}

TEST_CASE("parallel list: the pick-up CSV is the same bytes whatever the threads rendering it",
          "[parallel][list][pick-up]") {
  const engine::RuleSet& rules = engine::default_rules();
  // More than two of the CSV's 16,384-line parts, and a last part cut short.
  const std::size_t count = 41011;
  const std::string text = generated_text(count) + published_row("R1") + "\n" + "x,y\n";
  const engine::CapacityPlan capacity =
      engine::load_capacity_file(k_source_dir + "/sample-data/capacity.toml", rules);
  engine::RankRequest request;
  request.list = make_request(rules, published_as_of(), "", {});
  request.list.threads = 3;
  request.capacity = &capacity;
  const engine::RankedList ranked = engine::rank_waiting_list(request, engine::InputBytes{text});
  REQUIRE(ranked.list.referrals.size() == count);
  REQUIRE(ranked.list.unscorable.size() == 2);  // R1 repeated, and a row of 2 fields
  REQUIRE(ranked.plan.lines.size() == count);
  const auto provenance =
      engine::make_provenance(rules, published_as_of(), "referrals.csv", &capacity);
  const auto csv = [&](const engine::RankedList& list, unsigned threads, std::size_t top) {
    engine::PickUpReportOptions options;
    options.with_capacity = true;
    options.threads = threads;
    options.top = top;
    std::ostringstream out;
    engine::write_pick_up_csv(out, list, provenance, options);
    return out.str();
  };
  for (const std::size_t top : {std::size_t{0}, std::size_t{16385}}) {
    CAPTURE(top);
    const std::string one = csv(ranked, 1, top);
    // The header, one row per line shown, one per unscorable row; no field holds a line break.
    const std::size_t shown = top == 0 ? count : top;
    CHECK(static_cast<std::size_t>(std::count(one.begin(), one.end(), '\n')) == 1 + shown + 2);
    // Each row is its line's referral, read here straight from the list: the
    // CSV renders the lines part by part, each part on whichever thread is free.
    const tests::CsvTable table = tests::parse_csv_table(one);
    REQUIRE(table.rows.size() == shown + 2);
    for (std::size_t k = 0; k < shown; ++k) {
      const auto& line = ranked.plan.lines[k];
      const auto referral = ranked.list.referrals.row(line.referral);
      const auto& row = table.rows[k];
      if (row.at("Rank") != std::to_string(line.rank) || row.at("Referral ID") != referral.id ||
          row.at("Team") != referral.team) {
        CAPTURE(k, row.at("Rank"), row.at("Referral ID"));
        FAIL("row " << k + 1 << " is not line " << line.rank << "'s referral");
      }
    }
    // Capacity gives every status, so the parts differ in more than rank.
    for (const std::string status : {",can pick up,", ",blocked,", ",not matched,"}) {
      CAPTURE(status);
      CHECK(one.find(status) != std::string::npos);
    }
    for (const unsigned threads : {2U, 3U}) {
      CAPTURE(threads);
      CHECK(csv(ranked, threads, top) == one);
    }
    // And the list ranked from the stream writes the same bytes.
    std::istringstream in(text);
    CHECK(csv(engine::rank_waiting_list(request, in), 3, top) == one);
  }
}
