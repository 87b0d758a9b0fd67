// engine::score_referrals: the batch job analysts run. Output shape, Excel
// conventions, JSON provenance, and every row accounted for (scored or rejected).
#include <engine/errors.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>
#include <tests/support/csv_table.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

namespace {

// The published schema's package columns first (every row below starts with the
// same package: "South,AM,OD,No,CRS,7,"), then the columns the score reads.
const std::string k_header =
    "Team,Level of Support,Package,Double Handed,HDRS or CRS,Hours of Care (Weekly),"
    "Referral ID,Referral Source,Mobility,Referral/Discharge Notice Date,Hours of Care (Daily)";

struct Result {
  engine::ScoreReport report;
  std::string output;
  std::string rejects;
  std::vector<engine::RejectedRow> rejected;
};

Result score(const std::string& csv, engine::OutputFormat format = engine::OutputFormat::csv) {
  engine::ScoreRequest request;
  request.rules = &engine::default_rules();
  request.as_of = *engine::make_date(2019, 12, 16);
  request.input_name = "referrals.csv";
  request.format = format;
  Result result;
  request.on_reject = [&result](const engine::RejectedRow& row) { result.rejected.push_back(row); };
  std::istringstream in(csv);
  std::ostringstream out;
  std::ostringstream rejects;
  result.report = engine::score_referrals(request, in, out, &rejects);
  result.output = out.str();
  result.rejects = rejects.str();
  return result;
}

}  // namespace

TEST_CASE("score_referrals: appends the rule set's columns after the input columns", "[score]") {
  const auto result =
      score(k_header + "\nSouth,AM,OD,No,CRS,7,A1,URTS,Mobile with 1 staff,02/12/2019,0.5\n");
  REQUIRE(result.output ==
          k_header +
              ",Days Waiting,SDEC Weighting,SDEC LOS Bonus,LOS Score,LOS Total,LOS,Mobility "
              "Score,Prioritisation Score,LOW Range\n"
              "South,AM,OD,No,CRS,7,A1,URTS,Mobile with 1 "
              "staff,02/12/2019,0.5,14,5,3,3,4,1,1,20,Waiting 8-14 days\n");
  REQUIRE(result.report.rows_read == 1);
  REQUIRE(result.report.scored == 1);
  REQUIRE(result.report.rejected == 0);
}

TEST_CASE("score_referrals: columns are found by name in any order; unknown ones are kept",
          "[score]") {
  const auto result = score(
      "Notes,Mobility,Referral ID,Hours of Care (Daily),Referral/Discharge Notice Date,Referral "
      "Source,Team,Level of Support,Package,Double Handed,HDRS or CRS,Hours of Care (Weekly)\n"
      "\"says \"\"hello\"\", twice\",Immobile/Hoist,B7,4,2019-11-18,ICB,South,AM,OD,No,CRS,7\n");
  const auto table = tests::parse_csv_table(result.output);
  REQUIRE(table.header.front() == "Notes");
  REQUIRE(table.rows.size() == 1);
  REQUIRE(table.rows[0].at("Notes") == "says \"hello\", twice");
  REQUIRE(table.rows[0].at("Days Waiting") == "28");
  REQUIRE(table.rows[0].at("Prioritisation Score") == "21");
}

TEST_CASE("score_referrals: CSV output keeps the input's BOM and CRLF line endings", "[score]") {
  SECTION("BOM and CRLF in, BOM and CRLF out") {
    const auto result = score("\xEF\xBB\xBF" + k_header +
                              "\r\nSouth,AM,OD,No,CRS,7,A1,SPA,Immobile/Hoist,21/11/2019,4\r\n");
    REQUIRE(result.output.rfind("\xEF\xBB\xBFTeam,", 0) == 0);
    REQUIRE(result.output.find("LOW Range\r\nSouth,AM,OD,No,CRS,7,A1,") != std::string::npos);
    REQUIRE(result.output.size() > 2);
    REQUIRE(result.output.substr(result.output.size() - 2) == "\r\n");
  }
  SECTION("plain LF in, plain LF out") {
    const auto result =
        score(k_header + "\nSouth,AM,OD,No,CRS,7,A1,SPA,Immobile/Hoist,21/11/2019,4\n");
    REQUIRE(result.output.rfind("Team,", 0) == 0);
    REQUIRE(result.output.find('\r') == std::string::npos);
  }
}

TEST_CASE("score_referrals: categories match ignoring case and surrounding spaces", "[score]") {
  const auto result =
      score(k_header + "\nSouth,AM,OD,No,CRS,7,A1,  urts ,MOBILE WITH 1 STAFF,02/12/2019,0.5\n");
  const auto table = tests::parse_csv_table(result.output);
  REQUIRE(table.rows.at(0).at("SDEC Weighting") == "5");
  REQUIRE(table.rows.at(0).at("Mobility Score") == "1");
  // The input is still echoed exactly as given.
  REQUIRE(table.rows.at(0).at("Referral Source") == "  urts ");
}

TEST_CASE("score_referrals: a row that cannot be scored is rejected with its reason",
          "[score][rejects]") {
  struct Case {
    std::string row;
    std::string column;
    std::string reason;
  };
  const std::vector<Case> cases{
      {"South,AM,OD,No,CRS,7,R1,SPA,Walks unaided,21/11/2019,1", "Mobility",
       "'Walks unaided' is not a known value; expected one of: Independent with mobility, Mobile "
       "with 1 staff, Mobile with 2 staff, Immobile/Hoist"},
      {"South,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,31/02/2019,1", "Referral/Discharge Notice Date",
       "'31/02/2019' is not a valid date; expected dd/mm/yyyy or yyyy-mm-dd"},
      {"South,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,17/12/2019,1", "Referral/Discharge Notice Date",
       "'17/12/2019' is after the as-of date 2019-12-16"},
      {"South,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,,1", "Referral/Discharge Notice Date",
       "is empty; expected a date (dd/mm/yyyy or yyyy-mm-dd)"},
      {"South,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,21/11/2019,-1", "Hours of Care (Daily)",
       "'-1' is below the minimum of 0"},
      {"South,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,21/11/2019,two", "Hours of Care (Daily)",
       "'two' is not a number"},
      {"South,AM,OD,No,CRS,7, ,SPA,Immobile/Hoist,21/11/2019,1", "Referral ID",
       "is empty; expected a referral id"},
      {"South,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,21/11/2019", "",
       "the row has 10 fields; the header has 11"},
      {"South,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,21/11/2019,1,extra", "",
       "the row has 12 fields; the header has 11"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.row);
    const auto result = score(
        k_header + "\nSouth,AM,OD,No,CRS,7,OK1,SPA,Immobile/Hoist,21/11/2019,4\n" + c.row + "\n");
    REQUIRE(result.report.rows_read == 2);
    REQUIRE(result.report.scored == 1);
    REQUIRE(result.report.rejected == 1);
    REQUIRE(result.rejected.size() == 1);
    CHECK(result.rejected[0].line == 3);
    CHECK(result.rejected[0].column == c.column);
    CHECK(result.rejected[0].reason == c.reason);
    // The rejects file: the original fields, then row, column and reason.
    const auto rejects = tests::parse_csv_table(result.rejects);
    REQUIRE(rejects.rows.size() == 1);
    CHECK(rejects.rows[0].at("Reject Row") == "3");
    CHECK(rejects.rows[0].at("Reject Column") == c.column);
    CHECK(rejects.rows[0].at("Reject Reason") == c.reason);
    // Short rows are padded so the Reject columns line up; surplus fields follow them.
    CHECK(rejects.header.size() == 14);
    CHECK(rejects.rows[0].at("Referral ID") == c.row.substr(21, c.row.find(',', 21) - 21));
    // The scored output holds only the good row.
    CHECK(tests::parse_csv_table(result.output).rows.size() == 1);
  }
}

TEST_CASE("score_referrals: a long row's surplus fields follow the Reject columns",
          "[score][rejects]") {
  const auto result =
      score(k_header + "\nSouth,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,21/11/2019,1,extra,more\n");
  REQUIRE(result.rejects ==
          k_header +
              ",Reject Row,Reject Column,Reject Reason\n"
              "South,AM,OD,No,CRS,7,R1,SPA,Immobile/Hoist,21/11/2019,1,2,,the row has 13 "
              "fields; the header has 11,extra,more\n");
}

TEST_CASE("score_referrals: the second row with an id already seen is rejected",
          "[score][rejects]") {
  const auto result = score(k_header +
                            "\nSouth,AM,OD,No,CRS,7,D1,SPA,Immobile/Hoist,21/11/2019,4\n"
                            "South,AM,OD,No,CRS,7,D2,SPA,Immobile/Hoist,21/11/2019,4\n"
                            "South,AM,OD,No,CRS,7,D1,FIT,Immobile/Hoist,21/11/2019,4\n");
  REQUIRE(result.report.scored == 2);
  REQUIRE(result.rejected.size() == 1);
  CHECK(result.rejected[0].line == 4);
  CHECK(result.rejected[0].id == "D1");
  CHECK(result.rejected[0].reason == "duplicate id 'D1' (first seen on row 2)");
}

TEST_CASE("score_referrals: every row read is either scored or rejected", "[score][rejects]") {
  std::string csv = k_header + "\n";
  for (int i = 0; i < 50; ++i) {
    const bool bad = i % 7 == 3;
    csv += "South,AM,OD,No,CRS,7,N" + std::to_string(i) + ",SPA," +
           (bad ? "Flying" : "Immobile/Hoist") + ",21/11/2019,4\n";
  }
  const auto result = score(csv);
  REQUIRE(result.report.rows_read == 50);
  REQUIRE(result.report.rejected == 7);  // i = 3, 10, 17, 24, 31, 38, 45
  REQUIRE(result.report.scored + result.report.rejected == result.report.rows_read);
  REQUIRE(tests::parse_csv_table(result.output).rows.size() == 43);
  REQUIRE(tests::parse_csv_table(result.rejects).rows.size() == 7);
}

TEST_CASE("score_referrals: a file that cannot be scored as a whole is an error", "[score]") {
  SECTION("empty file") {
    REQUIRE_THROWS_WITH(score(""), "referrals.csv: the file is empty; expected a header row");
  }
  SECTION("a required column is missing, with the nearest header suggested") {
    REQUIRE_THROWS_WITH(
        score("Team,Level of Support,Package,Double Handed,HDRS or CRS,Hours of Care (Weekly),"
              "Referral ID,Referral Source,Mobilty,Referral/Discharge Notice Date,Hours of Care "
              "(Daily)\nSouth,AM,OD,No,CRS,7,A1,SPA,Immobile/Hoist,21/11/2019,4\n"),
        "referrals.csv:1: required column 'Mobility' (did you mean 'Mobilty'?) is missing from "
        "the header (rule set joint-prioritisation-protocol 2019.10 (sha256 " +
            engine::default_rules().hash.substr(0, 12) + "))");
  }
  SECTION("a duplicated header") {
    REQUIRE_THROWS_WITH(score(k_header + ",Mobility\n"),
                        "referrals.csv:1: column 'Mobility' appears twice in the header "
                        "(columns 9 and 12)");
  }
  SECTION("a column the rule set writes is already there") {
    REQUIRE_THROWS_WITH(score(k_header + ",LOS\n"),
                        "referrals.csv:1: the input already has a column 'LOS', which rule set "
                        "joint-prioritisation-protocol writes; remove or rename it (is this file "
                        "already scored?)");
  }
}

TEST_CASE("score_referrals: JSON output names the rule set and as-of date", "[score][json]") {
  const auto result =
      score(k_header +
                "\nSouth,AM,OD,No,CRS,7,J1,EAU,Mobile with 2 "
                "staff,2019-12-16,1.75\nSouth,AM,OD,No,CRS,7,J2,SPA,Bad,2019-12-01,1\n",
            engine::OutputFormat::json);
  const auto json = nlohmann::json::parse(result.output);
  const auto& rules = engine::default_rules();
  CHECK(json["rule_set"]["name"] == "joint-prioritisation-protocol");
  CHECK(json["rule_set"]["version"] == "2019.10");
  CHECK(json["rule_set"]["sha256"] == rules.hash);
  CHECK(json["as_of"] == "2019-12-16");
  CHECK(json["input"] == "referrals.csv");
  REQUIRE(json["referrals"].size() == 1);
  const auto& row = json["referrals"][0];
  CHECK(row["Referral ID"] == "J1");
  CHECK(row["Hours of Care (Daily)"] == "1.75");  // input columns stay text
  CHECK(row["Days Waiting"] == 0);                // score columns are numbers
  CHECK(row["LOS"] == 0);
  CHECK(row["LOS Score"] == 3);
  CHECK(row["Prioritisation Score"] == 25);  // 5 * (max(0, 3) + 2)
  CHECK(row["LOW Range"] == "Waiting 0-7 days");
  REQUIRE(json["rejected"].size() == 1);
  CHECK(json["rejected"][0]["row"] == 3);
  CHECK(json["rejected"][0]["id"] == "J2");
  CHECK(json["rejected"][0]["column"] == "Mobility");
  CHECK(json["counts"]["rows_read"] == 2);
  CHECK(json["counts"]["scored"] == 1);
  CHECK(json["counts"]["rejected"] == 1);
}

TEST_CASE("score_referrals: JSON output survives invalid UTF-8 in a text field", "[score][json]") {
  const auto result =
      score("Ward," + k_header +
                "\n\xff\xfe bad,South,AM,OD,No,CRS,7,J1,SPA,Immobile/Hoist,2019-12-01,1\n",
            engine::OutputFormat::json);
  const auto json = nlohmann::json::parse(result.output);
  CHECK(json["referrals"][0]["Ward"] == "\xEF\xBF\xBD\xEF\xBF\xBD bad");
}

TEST_CASE("score_referrals: files that are not referral CSV are refused with a reason",
          "[score][bad-input]") {
  SECTION("a header and no rows") {
    REQUIRE_THROWS_WITH(score(k_header + "\n"),
                        "referrals.csv: the file has a header but no referral rows");
  }
  SECTION("a NUL byte") {
    REQUIRE_THROWS_WITH(
        score(k_header + "\n" + std::string("South,AM,OD,No,CRS,7,A1,SPA\0X,Immobile/Hoist,", 44) +
              "21/11/2019,4\n"),
        "referrals.csv:2: a NUL byte: this is binary data, not CSV text; save the file from the "
        "spreadsheet as 'CSV UTF-8'");
  }
  SECTION("an Excel workbook") {
    REQUIRE_THROWS_WITH(score(std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "rest\n"),
                        "referrals.csv:1: this is a ZIP file (an Excel .xlsx workbook?), not CSV; "
                        "save it from the spreadsheet as 'CSV UTF-8'");
  }
  SECTION("semicolon-delimited") {
    std::string semicolons = k_header;
    std::replace(semicolons.begin(), semicolons.end(), ',', ';');
    REQUIRE_THROWS_WITH(score(semicolons + "\n"),
                        "referrals.csv:1: the header is a single column holding semicolons: the "
                        "file looks semicolon-delimited; pass --delimiter ';'");
  }
  SECTION("tab-delimited") {
    std::string tabs = k_header;
    std::replace(tabs.begin(), tabs.end(), ',', '\t');
    REQUIRE_THROWS_WITH(score(tabs + "\n"),
                        "referrals.csv:1: the header is a single column holding tabs: the file "
                        "looks tab-delimited; pass --delimiter tab");
  }
  SECTION("an unterminated quote names the line where the field began") {
    REQUIRE_THROWS_WITH(
        score(k_header + "\nSouth,AM,OD,No,CRS,7,A1,SPA,Immobile/Hoist,21/11/2019,4\n"
                         "South,\"AM,OD,No,CRS,7,A2,SPA,Immobile/Hoist,21/11/2019,4\n"),
        "referrals.csv:3:7: unterminated quoted field (the quote opened here is "
        "never closed)");
  }
}

TEST_CASE("score_referrals: a semicolon-delimited file reads with the delimiter given",
          "[score][bad-input]") {
  std::string semicolons = k_header + "\nSouth;AM;OD;No;CRS;7;A1;SPA;Immobile/Hoist;21/11/2019;4\n";
  std::replace(semicolons.begin(), semicolons.begin() + static_cast<long>(k_header.size()), ',',
               ';');
  engine::ScoreRequest request;
  request.rules = &engine::default_rules();
  request.as_of = *engine::make_date(2019, 12, 16);
  request.csv.delimiter = ';';
  std::istringstream in(semicolons);
  std::ostringstream out;
  const auto report = engine::score_referrals(request, in, out, nullptr);
  CHECK(report.scored == 1);
  CHECK(out.str().find(";21;Waiting 22-28 days\n") != std::string::npos);  // 3 * (4 + 3)
}

TEST_CASE("score_referrals: package against visit slots, and weekly against daily hours",
          "[score][rejects]") {
  const std::string rows =
      "\nSouth,\"AM, PM\",QDS,No,CRS,7,P1,SPA,Immobile/Hoist,21/11/2019,1\n"  // 4 visits, 2 slots
      "South,\"AM, Brunch\",BD,No,CRS,7,P2,SPA,Immobile/Hoist,21/11/2019,1\n"
      "South,\"AM, AM\",BD,No,CRS,7,P3,SPA,Immobile/Hoist,21/11/2019,1\n"
      "South,\"AM, PM\",BD,No,CRS,10,P4,SPA,Immobile/Hoist,21/11/2019,1\n";  // 10 != 7 x 1
  engine::ScoreRequest request;
  request.rules = &engine::default_rules();
  request.as_of = *engine::make_date(2019, 12, 16);
  std::vector<engine::RejectedRow> rejected;
  std::vector<engine::RejectedRow> warned;
  request.on_reject = [&](const engine::RejectedRow& row) { rejected.push_back(row); };
  request.on_warning = [&](const engine::RejectedRow& row) { warned.push_back(row); };
  std::istringstream in(k_header + rows);
  std::ostringstream out;
  const auto report = engine::score_referrals(request, in, out, nullptr);
  CHECK(report.rows_read == 4);
  CHECK(report.scored + report.rejected == report.rows_read);
  REQUIRE(rejected.size() == 3);
  CHECK(rejected[0].column == "Package");
  CHECK(rejected[0].reason ==
        "the package's visits a day do not match the visit slots listed (visit_slots = 2, "
        "visits_a_day = 4)");
  CHECK(rejected[1].column == "Level of Support");
  CHECK(rejected[1].reason == "'Brunch' is not a visit slot; expected AM, Lunch, Tea, PM");
  CHECK(rejected[2].reason == "lists the visit slot 'AM' twice");
  // A warning only: the row is still scored.
  CHECK(report.scored == 1);
  CHECK(report.warnings == 1);
  REQUIRE(warned.size() == 1);
  CHECK(warned[0].id == "P4");
  CHECK(warned[0].column == "Hours of Care (Weekly)");
  CHECK(warned[0].reason ==
        "weekly hours are not 7 times the daily hours (daily_hours = 1, weekly_hours = 10)");
}

TEST_CASE("score_referrals: formula-like text in the input is written as text",
          "[score][bad-input]") {
  const auto result = score("Notes," + k_header +
                            "\n=HYPERLINK(\"http://evil\"),South,AM,OD,No,CRS,7,F1,SPA,"
                            "Immobile/Hoist,21/11/2019,1\n");
  CHECK(result.output.find("\n\"'=HYPERLINK(\"\"http://evil\"\")\",South,") != std::string::npos);
}

TEST_CASE("score_referrals: rows copied whole are the rows written field by field",
          "[score][csv]") {
  // Records a reader takes in one piece (each field quoted only when it must
  // be), among others: formula-like text must still be neutralised, a field
  // quoted without need loses its quotes, a bare CR gains them, a CRLF input
  // keeps CRLF.
  const std::string rows[] = {
      "South,\"AM, PM\",BD,No,CRS,14,P1,SPA,Immobile/Hoist,21/11/2019,2",
      "@SUM(A1),AM,OD,No,CRS,7,P2,SPA,Immobile/Hoist,21/11/2019,1",
      "-3,AM,OD,No,CRS,7,P3,SPA,Immobile/Hoist,21/11/2019,1",
      "\"South\",\"AM, PM\",BD,No,CRS,14,P4,SPA,Immobile/Hoist,21/11/2019,2",
      "\"=1,2\",\"AM, PM\",BD,No,CRS,14,P5,SPA,Immobile/Hoist,21/11/2019,2",
      "North,\"AM,\r\nPM\",BD,No,CRS,14,P6,SPA,Immobile/Hoist,21/11/2019,2",
      "Sou\rth,AM,OD,No,CRS,7,P7,SPA,Immobile/Hoist,21/11/2019,1",
  };
  const std::string written[] = {
      "South,\"AM, PM\",BD,No,CRS,14,P1,SPA,Immobile/Hoist,21/11/2019,2",
      "'@SUM(A1),AM,OD,No,CRS,7,P2,SPA,Immobile/Hoist,21/11/2019,1",
      "-3,AM,OD,No,CRS,7,P3,SPA,Immobile/Hoist,21/11/2019,1",
      "South,\"AM, PM\",BD,No,CRS,14,P4,SPA,Immobile/Hoist,21/11/2019,2",
      "\"'=1,2\",\"AM, PM\",BD,No,CRS,14,P5,SPA,Immobile/Hoist,21/11/2019,2",
      "North,\"AM,\r\nPM\",BD,No,CRS,14,P6,SPA,Immobile/Hoist,21/11/2019,2",
      "\"Sou\rth\",AM,OD,No,CRS,7,P7,SPA,Immobile/Hoist,21/11/2019,1",
  };
  // The published scores: 25 days waiting (LOS 4), SPA (weighting 3), immobile (3).
  const std::string scores = ",25,3,0,4,4,4,3,21,Waiting 22-28 days";
  for (const std::string ending : {"\n", "\r\n"}) {
    CAPTURE(ending.size());
    std::string input = k_header + ending;
    std::string expected;
    // Each row three times, so most are far enough from the end of the input
    // to be read in one piece.
    for (int round = 0; round < 3; ++round) {
      for (std::size_t i = 0; i < std::size(rows); ++i) {
        std::string row = rows[i];
        std::string out = written[i];
        const std::string id = "P" + std::to_string(i + 1);
        const std::string new_id = id + "-" + std::to_string(round);
        row.replace(row.find("," + id + ","), id.size() + 2, "," + new_id + ",");
        out.replace(out.find("," + id + ","), id.size() + 2, "," + new_id + ",");
        input += row + ending;
        expected += out + scores + ending;
      }
    }
    const auto result = score(input);
    CHECK(result.report.scored == 3 * std::size(rows));
    const std::size_t body = result.output.find(ending) + ending.size();
    CHECK(result.output.substr(body) == expected);
  }
}

TEST_CASE("score_referrals: output columns with decimals, and labels that need care in CSV",
          "[score][csv]") {
  // Another team's rule set: the published one, plus daily hours written with
  // two decimals and a label per mobility, one holding the delimiter and a
  // quote, one formula-like, one empty.
  std::string toml =
      tests::slurp(std::string(REABLEMENT_SOURCE_DIR) + "/rules/joint-protocol-2019.toml");
  toml += R"(
[tables.mobility_note]
title = "Notes on mobility"

[tables.mobility_note.entries]
"Independent with mobility" = "fine"
"Mobile with 1 staff" = "one, \"ideally\" two"
"Mobile with 2 staff" = "=two"
"Immobile/Hoist" = ""

[[steps]]
name = "mobility_note"
title = "Note"
kind = "lookup"
input = "mobility"
table = "mobility_note"

[[outputs]]
column = "Daily"
value = "daily_hours"
decimals = 2

[[outputs]]
column = "Note"
value = "mobility_note"
)";
  const engine::RuleSet rules = engine::load_rules(toml, "notes.toml");
  engine::ScoreRequest request;
  request.rules = &rules;
  request.as_of = *engine::make_date(2019, 12, 16);
  request.input_name = "referrals.csv";
  const std::string rows[] = {
      "South,AM,OD,No,CRS,7,N1,SPA,Independent with mobility,21/11/2019,1",
      "South,AM,OD,No,CRS,7,N2,SPA,Mobile with 1 staff,21/11/2019,0.25",
      "South,AM,OD,No,CRS,7,N3,SPA,Mobile with 2 staff,21/11/2019,1.5",
      "South,AM,OD,No,CRS,7,N4,SPA,Immobile/Hoist,21/11/2019,2.126",
  };
  // 25 days waiting (LOS 4), SPA (weighting 3): 3 * (4 + mobility score).
  const std::string expected[] = {
      ",25,3,0,4,4,4,0,12,Waiting 22-28 days,1.00,fine",
      ",25,3,0,4,4,4,1,15,Waiting 22-28 days,0.25,\"one, \"\"ideally\"\" two\"",
      ",25,3,0,4,4,4,2,18,Waiting 22-28 days,1.50,'=two",
      ",25,3,0,4,4,4,3,21,Waiting 22-28 days,2.13,",  // 2.126 to two places
  };
  for (const std::string ending : {"\n", "\r\n"}) {
    CAPTURE(ending.size());
    std::string input = k_header + ending;
    for (const auto& row : rows) {
      input += row + ending;
    }
    std::istringstream in(input);
    std::ostringstream out;
    engine::score_referrals(request, in, out, nullptr);
    std::string want = k_header +
                       ",Days Waiting,SDEC Weighting,SDEC LOS Bonus,LOS Score,LOS Total,LOS,"
                       "Mobility Score,Prioritisation Score,LOW Range,Daily,Note" +
                       ending;
    for (std::size_t i = 0; i < std::size(rows); ++i) {
      want += rows[i] + expected[i] + ending;
    }
    CHECK(out.str() == want);
  }
}
