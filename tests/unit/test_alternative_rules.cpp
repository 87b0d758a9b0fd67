// A second county's rule set (tests/data/alt-rules.toml) differs from the published
// protocol in every dimension: wait bands (with over/under bounds), weights,
// categories, a table default, an additive formula with a cap and a threshold
// ternary, a label band, output columns and their order, and the ranking. Scoring
// tests/data/alt-referrals.csv with it must give, for every row and every appended
// column, the value calculated by hand below; changing one constant in the rule
// text must change the scores as predicted, with nothing recompiled.
#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::string k_rules_path = std::string(REABLEMENT_SOURCE_DIR) + "/tests/data/alt-rules.toml";
const std::string k_referrals_path =
    std::string(REABLEMENT_SOURCE_DIR) + "/tests/data/alt-referrals.csv";

const std::vector<std::string> k_input_header{"Referral ID",
                                              "Team",
                                              "Referral Source",
                                              "Level of Support",
                                              "Double Handed",
                                              "Hours of Care (Daily)",
                                              "Referral/Discharge Notice Date",
                                              "Mobility"};
const std::vector<std::string> k_output_columns{"Urgency",         "Days On List",    "Wait Points",
                                                "Referrer Weight", "Mobility Points", "Care Bonus",
                                                "Care Size"};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

Table parse_csv(const std::string& text) {
  std::istringstream in(text);
  engine::CsvReader reader(in, "output");
  engine::CsvRecord record;
  Table table;
  REQUIRE(reader.next(record));
  table.header.assign(record.fields.begin(), record.fields.end());
  while (reader.next(record)) {
    table.rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  return table;
}

struct Scored {
  engine::ScoreReport report;
  std::string output;
  std::string rejects;
  std::vector<engine::RejectedRow> rejected;
};

// The snapshot date: 15/03/2024 (2024 is a leap year; one referral is dated 29/02/2024).
engine::Date as_of() {
  return *engine::make_date(2024, 3, 15);
}

Scored score(const engine::RuleSet& rules) {
  engine::ScoreRequest request;
  request.rules = &rules;
  request.as_of = as_of();
  request.input_name = "alt-referrals.csv";
  Scored scored;
  request.on_reject = [&scored](const engine::RejectedRow& row) { scored.rejected.push_back(row); };
  std::istringstream in(read_text(k_referrals_path));
  std::ostringstream out;
  std::ostringstream rejects;
  scored.report = engine::score_referrals(request, in, out, &rejects);
  scored.output = out.str();
  scored.rejects = rejects.str();
  return scored;
}

// Replaces the only occurrence of `from` in `text`; fails if there is not exactly one.
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

// The appended columns of every scored row, calculated by hand from the rule file.
// Rules, as of 15/03/2024:
//   wait points: 0-2 days 0; 3-7 1; 8-14 (over 7, under 15) 2.5; 15-28 4;
//                29-42 (over 28, max 42) 6; 43+ (over 42) 8
//   referrer weight: Acute Hospitals 5, Community Hospitals 4, OT/GP 3,
//                    Self Referrals 1, anything else (default) 2
//   mobility points: Independent 0, Walks with aid 1.5, Needs one carer 2,
//                    Needs two carers 3.5, Bed-bound/Hoist 5 (no default)
//   two carers: Yes 1, No 0 (no default)
//   care bonus: 1.5 when daily hours >= 4, else 0
//   urgency = min(weight * wait points + mobility + 2 * two carers + care bonus, 20),
//             written with 1 decimal
//   care size: hours under 1 Light; 1 to 2.5 Standard; over 2.5 Intensive
struct Case {
  const char* id;
  const char* urgency;
  const char* days;
  const char* wait_points;
  const char* weight;
  const char* mobility;
  const char* care_bonus;
  const char* care_size;
};

const Case k_cases[] = {
    // 15/03 -> 0 days -> band 0-2 = 0; Self Referrals 1; Independent 0; No; 0.5 h < 4 -> bonus 0;
    // 1*0 + 0 + 0 + 0 = 0 -> "0.0"; 0.5 < 1 -> Light
    {"A01", "0.0", "0", "0", "1", "0", "0", "Light"},
    // 13/03 -> 2 days -> band 0-2 (under 3) = 0; Acute 5; Walks with aid 1.5; No; 0.75 h;
    // 5*0 + 1.5 + 0 + 0 = 1.5; 0.75 < 1 -> Light
    {"A02", "1.5", "2", "0", "5", "1.5", "0", "Light"},
    // 12/03 -> 3 days -> band 3-7 = 1; OT/GP 3; Needs one carer 2; Yes -> +2; 1 h;
    // 3*1 + 2 + 2 + 0 = 7; 1 is the lowest Standard (min 1)
    {"A03", "7.0", "3", "1", "3", "2", "0", "Standard"},
    // 08/03 -> 7 days -> band 3-7 = 1; Community Hospitals 4; Needs two carers 3.5; Yes -> +2;
    // 2.5 h; 4*1 + 3.5 + 2 + 0 = 9.5; 2.5 is the highest Standard (max 2.5)
    {"A04", "9.5", "7", "1", "4", "3.5", "0", "Standard"},
    // 07/03 -> 8 days -> band over 7 = 2.5; SPA not listed -> default 2; Bed-bound/Hoist 5;
    // Yes -> +2; 2.75 h < 4 -> bonus 0; 2*2.5 + 5 + 2 + 0 = 12; 2.75 over 2.5 -> Intensive
    {"A05", "12.0", "8", "2.5", "2", "5", "0", "Intensive"},
    // 01/03 -> 14 days -> band under 15 = 2.5; Self Referrals 1; Needs one carer 2; No;
    // 3.5 h < 4 -> bonus 0; 1*2.5 + 2 + 0 + 0 = 4.5; Intensive
    {"A06", "4.5", "14", "2.5", "1", "2", "0", "Intensive"},
    // 29/02 (leap day) -> 1 + 14 = 15 days -> band 15-28 = 4; Acute 5; Independent 0; No; 1.5 h;
    // 5*4 + 0 + 0 + 0 = 20 = the cap -> min(20, 20) = 20; Standard
    {"A07", "20.0", "15", "4", "5", "0", "0", "Standard"},
    // 16/02 -> 13 (to 29/02) + 15 = 28 days -> band 15-28 = 4; OT/GP 3; Walks with aid 1.5; No;
    // 4 h >= 4 -> bonus 1.5; 3*4 + 1.5 + 0 + 1.5 = 15; Intensive
    {"A08", "15.0", "28", "4", "3", "1.5", "1.5", "Intensive"},
    // 15/02 -> 29 days -> band over 28 = 6; "community hospitals" (any case) 4; Needs two carers
    // 3.5; Yes -> +2; 6 h -> bonus 1.5; 4*6 + 3.5 + 2 + 1.5 = 31 -> capped at 20; Intensive
    {"A09", "20.0", "29", "6", "4", "3.5", "1.5", "Intensive"},
    // 02/02 -> 27 (to 29/02) + 15 = 42 days -> band max 42 = 6; ICB not listed -> default 2;
    // Bed-bound/Hoist 5; Yes -> +2; 4.5 h -> bonus 1.5; 2*6 + 5 + 2 + 1.5 = 20.5 -> capped at 20
    {"A10", "20.0", "42", "6", "2", "5", "1.5", "Intensive"},
    // 2024-02-01 (ISO) -> 43 days -> band over 42 = 8; Self Referrals 1; Needs two carers 3.5; No;
    // 0.99 h; 1*8 + 3.5 + 0 + 0 = 11.5; 0.99 under 1 -> Light
    {"A11", "11.5", "43", "8", "1", "3.5", "0", "Light"},
    // A12 (line 13): Mobility "Mobile with 1 staff" (the published protocol's wording) is not in
    // this county's mobility table, which has no default -> rejected, not scored.
};

const std::string k_rejected_reason =
    "'Mobile with 1 staff' is not a known value; expected one of: Independent, Walks with aid, "
    "Needs one carer, Needs two carers, Bed-bound/Hoist";

std::map<std::string, std::vector<std::string>> rows_by_id(const Table& table) {
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& row : table.rows) {
    REQUIRE_FALSE(row.empty());
    REQUIRE(rows.emplace(row[0], row).second);
  }
  return rows;
}

}  // namespace

TEST_CASE("a second county's rule set scores every row as calculated by hand", "[alt-rules]") {
  const engine::RuleSet rules = engine::load_rules_file(k_rules_path);
  CHECK(rules.name == "northshire-urgency");
  CHECK(rules.score_variable == "urgency");
  REQUIRE(rules.order.size() == 4);
  CHECK(rules.order[0].variable == "urgency");
  CHECK(rules.order[0].descending);
  CHECK(rules.order[1].variable == "mobility_points");
  CHECK(rules.order[1].descending);
  CHECK(rules.order[2].variable == "daily_hours");
  CHECK(rules.order[2].descending);
  CHECK(rules.order[3].variable == "referral_id");
  CHECK_FALSE(rules.order[3].descending);

  const Scored scored = score(rules);
  const Table input = parse_csv(read_text(k_referrals_path));
  const Table output = parse_csv(scored.output);

  SECTION("every row is accounted for: 11 scored, 1 rejected") {
    CHECK(input.rows.size() == 12);
    CHECK(scored.report.rows_read == 12);
    CHECK(scored.report.scored == 11);
    CHECK(scored.report.rejected == 1);
    CHECK(scored.report.scored + scored.report.rejected == scored.report.rows_read);
    CHECK(output.rows.size() == scored.report.scored);
  }

  SECTION("the header is the input header, then this rule set's columns in its order") {
    CHECK(input.header == k_input_header);
    std::vector<std::string> expected = k_input_header;
    expected.insert(expected.end(), k_output_columns.begin(), k_output_columns.end());
    CHECK(output.header == expected);
  }

  SECTION("every appended value equals the hand calculation") {
    const auto rows = rows_by_id(output);
    CHECK(rows.size() == std::size(k_cases));
    for (const Case& c : k_cases) {
      CAPTURE(c.id);
      const auto found = rows.find(c.id);
      REQUIRE(found != rows.end());
      const auto& row = found->second;
      REQUIRE(row.size() == k_input_header.size() + k_output_columns.size());
      const std::size_t first = k_input_header.size();
      CHECK(row[first + 0] == c.urgency);
      CHECK(row[first + 1] == c.days);
      CHECK(row[first + 2] == c.wait_points);
      CHECK(row[first + 3] == c.weight);
      CHECK(row[first + 4] == c.mobility);
      CHECK(row[first + 5] == c.care_bonus);
      CHECK(row[first + 6] == c.care_size);
    }
  }

  SECTION("scored rows keep input order and echo every input field unchanged") {
    std::vector<std::vector<std::string>> scored_inputs;
    for (const auto& row : input.rows) {
      if (row[0] != "A12") {
        scored_inputs.push_back(row);
      }
    }
    REQUIRE(output.rows.size() == scored_inputs.size());
    for (std::size_t i = 0; i < output.rows.size(); ++i) {
      INFO("output row " << i + 1);
      const auto& row = output.rows[i];
      REQUIRE(row.size() >= k_input_header.size());
      CHECK(std::vector<std::string>(
                row.begin(), row.begin() + static_cast<std::ptrdiff_t>(k_input_header.size())) ==
            scored_inputs[i]);
    }
    // Spot checks against the literal text of the input file: lower-case category,
    // ISO date, a quoted list of visit slots.
    const auto rows = rows_by_id(output);
    CHECK(rows.at("A09")[2] == "community hospitals");
    CHECK(rows.at("A11")[6] == "2024-02-01");
    CHECK(rows.at("A11")[5] == "0.99");
    CHECK(rows.at("A04")[3] == "AM, Lunch, PM");
    // One whole line, byte for byte: the quoted field is written quoted again.
    CHECK(scored.output.find("\nA04,West,Community Hospitals,\"AM, Lunch, PM\",Yes,2.5,08/03/2024,"
                             "Needs two carers,9.5,7,1,4,3.5,0,Standard\n") != std::string::npos);
  }

  SECTION("the row with an unknown mobility category is rejected with its reason") {
    REQUIRE(scored.rejected.size() == 1);
    const auto& rejected = scored.rejected.front();
    CHECK(rejected.id == "A12");
    CHECK(rejected.line == 13);
    CHECK(rejected.column == "Mobility");
    CHECK(rejected.reason == k_rejected_reason);
    CHECK(scored.output.find("A12") == std::string::npos);

    const Table rejects = parse_csv(scored.rejects);
    std::vector<std::string> expected_header = k_input_header;
    expected_header.insert(expected_header.end(), {"Reject Row", "Reject Column", "Reject Reason"});
    CHECK(rejects.header == expected_header);
    REQUIRE(rejects.rows.size() == 1);
    std::vector<std::string> expected_row = input.rows.back();
    REQUIRE(expected_row[0] == "A12");
    expected_row.insert(expected_row.end(), {"13", "Mobility", k_rejected_reason});
    CHECK(rejects.rows.front() == expected_row);
  }
}

TEST_CASE("changing a constant in the rule text changes the scores, with no recompile",
          "[alt-rules]") {
  const std::string text = read_text(k_rules_path);

  // Urgency as the unchanged file gives it (see k_cases), by id.
  std::map<std::string, std::string> expected;
  for (const Case& c : k_cases) {
    expected[c.id] = c.urgency;
  }

  SECTION("double_handed_bonus 2 -> 5: rows with two carers gain 3, still capped at 20") {
    const engine::RuleSet rules = engine::load_rules(
        replace_once(text, "double_handed_bonus = 2", "double_handed_bonus = 5"), "edited.toml");
    // A03: 3*1 + 2 + 5 + 0 = 10
    expected["A03"] = "10.0";
    // A04: 4*1 + 3.5 + 5 + 0 = 12.5
    expected["A04"] = "12.5";
    // A05: 2*2.5 + 5 + 5 + 0 = 15
    expected["A05"] = "15.0";
    // A09: 4*6 + 3.5 + 5 + 1.5 = 34 -> capped at 20 (unchanged)
    expected["A09"] = "20.0";
    // A10: 2*6 + 5 + 5 + 1.5 = 23.5 -> capped at 20 (unchanged)
    expected["A10"] = "20.0";
    // Rows without two carers (A01, A02, A06, A07, A08, A11) are unchanged.
    const Scored scored = score(rules);
    CHECK(scored.report.scored == 11);
    CHECK(scored.report.rejected == 1);
    const Table output = parse_csv(scored.output);
    const auto rows = rows_by_id(output);
    for (const auto& [id, urgency] : expected) {
      CAPTURE(id);
      CHECK(rows.at(id)[k_input_header.size()] == urgency);
    }
  }

  SECTION("score_cap 20 -> 25: only rows whose sum passed 20 change") {
    const engine::RuleSet rules =
        engine::load_rules(replace_once(text, "score_cap = 20", "score_cap = 25"), "edited.toml");
    // A07: sum exactly 20 -> 20 (unchanged)
    // A09: sum 31 -> now capped at 25
    expected["A09"] = "25.0";
    // A10: sum 20.5 -> below the new cap, 20.5
    expected["A10"] = "20.5";
    const Scored scored = score(rules);
    const Table output = parse_csv(scored.output);
    const auto rows = rows_by_id(output);
    for (const auto& [id, urgency] : expected) {
      CAPTURE(id);
      CHECK(rows.at(id)[k_input_header.size()] == urgency);
    }
  }
}
