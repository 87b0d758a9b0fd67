// engine::explain_referral and its text and JSON reports, on the published
// scenario (sample-data/referrals.csv as of 16/12/2019). Expected values and
// text are worked out by hand from shared/spec/protocol.md; expected ranks come
// from seed-expected.csv sorted here in plain code, not from the engine.
#include <engine/errors.hpp>
#include <engine/explain.hpp>
#include <engine/explain_report.hpp>
#include <engine/provenance.hpp>
#include <engine/rule_set.hpp>
#include <tests/support/csv_table.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <tuple>

namespace {

const std::string k_source_dir = REABLEMENT_SOURCE_DIR;
const std::string k_spec_dir = REABLEMENT_SPEC_DIR;
const std::string k_input_name = "sample-data/referrals.csv";

const std::string& sample_csv() {
  static const std::string text = tests::slurp(k_source_dir + "/sample-data/referrals.csv");
  return text;
}

engine::Explanation explain(const std::string& id, const std::string& vs = "",
                            const engine::RuleSet& rules = engine::default_rules(),
                            const std::string& csv = sample_csv()) {
  engine::ExplainRequest request;
  request.rules = &rules;
  request.as_of = *engine::make_date(2019, 12, 16);
  request.input_name = k_input_name;
  request.id = id;
  request.vs = vs;
  std::istringstream input(csv);
  return engine::explain_referral(request, input);
}

// A fixed provenance, so the expected text does not depend on the rule file's hash.
engine::Provenance provenance() {
  engine::Provenance p;
  p.rule_set_name = "joint-prioritisation-protocol";
  p.rule_set_version = "2019.10";
  p.rule_set_hash = "0123456789abcdef";
  p.as_of = *engine::make_date(2019, 12, 16);
  p.input = k_input_name;
  return p;
}

// The default rules with another ranking order.
engine::RuleSet rules_ordered_by(const std::string& order) {
  std::string text(engine::default_rules_text());
  const auto start = text.find("order = [");
  const auto end = text.find(']', start);
  REQUIRE(start != std::string::npos);
  text.replace(start, end + 1 - start, "order = [" + order + "]");
  return engine::load_rules(text, "test-rules.toml");
}

// The sample with one more line per given row (lines 35, 36, ...).
std::string sample_with(const std::vector<std::string>& rows) {
  std::string csv = sample_csv();
  for (const auto& row : rows) {
    csv += row + "\n";
  }
  return csv;
}

}  // namespace

TEST_CASE("explain: every step of one referral, in the rule set's words", "[explain]") {
  // S003: URTS (same day emergency care), referred 02/12/2019, mobile with 1 staff,
  // 0.5 hours a day, OD, single handed, CRS. By protocol.md: 14 days; SDEC, so
  // weighting 5 and bonus 3; LOS 1 (1-14 days); LOS Score max(1, 3) = 3; LOS Total
  // 1 + 3 = 4; mobility 1; score 5 * (3 + 1) = 20; "Waiting 8-14 days". It ranks
  // third: after S001 and S002 (21), and above S004 (20, 3 days).
  const auto e = explain("S003");
  REQUIRE(e.referral.scored);
  CHECK(e.referral.rank == 3);
  CHECK(e.referral.line == 4);
  CHECK(e.ranked == 33);
  CHECK(e.unscorable == 0);
  CHECK(e.referral.score == 20);
  CHECK(e.referral.steps.size() == engine::default_rules().steps.size());

  const std::string expected =
      "S003 ranks 3 of 33 with Prioritisation Score 20\n"
      "  line 4 of sample-data/referrals.csv\n"
      "  rule set joint-prioritisation-protocol 2019.10 (sha256 0123456789ab), as of 2019-12-16\n"
      "\n"
      "  Days Waiting                                 -> 14\n"
      "      read Referral/Discharge Notice Date '02/12/2019', as of 2019-12-16\n"
      "  SDEC referral (1 = yes)                      -> 1\n"
      "      read Referral Source 'URTS', table 'sdec_sources' entry 'URTS'\n"
      "  SDEC Weighting                               -> 5\n"
      "      sdec ? sdec_weight : standard_weight, with sdec = 1, sdec_weight = 5, "
      "standard_weight = 3\n"
      "  SDEC LOS Bonus                               -> 3\n"
      "      sdec ? sdec_bonus : 0, with sdec = 1, sdec_bonus = 3\n"
      "  LOS (wait band score)                        -> 1\n"
      "      read Days Waiting 14, band 1-14 of 'wait_band'\n"
      "  LOS Score                                    -> 3\n"
      "      max(los, sdec_los_bonus), with los = 1, sdec_los_bonus = 3\n"
      "  LOS Total                                    -> 4\n"
      "      los + sdec_los_bonus, with los = 1, sdec_los_bonus = 3\n"
      "  Mobility Score                               -> 1\n"
      "      read Mobility 'Mobile with 1 staff', table 'mobility_score' entry 'Mobile with 1 "
      "staff'\n"
      "  Prioritisation Score                         -> 20\n"
      "      sdec_weighting * (los_score + mobility_score),\n"
      "      with sdec_weighting = 5, los_score = 3, mobility_score = 1\n"
      "  LOW Range                                    -> Waiting 8-14 days\n"
      "      read Days Waiting 14, band 8-14 of 'length_of_wait'\n"
      "  Care Type                                    -> Simple\n"
      "      read Hours of Care (Daily) '0.5', band from 0 up to 0.5 of 'care_type'\n"
      "  Visits a day (package)                       -> 1\n"
      "      read Package 'OD', table 'package_visits' entry 'OD'\n"
      "  Double handed (1 = yes)                      -> 0\n"
      "      read Double Handed 'No', table 'carers_per_visit' entry 'No'\n"
      "  Contract                                     -> CRS\n"
      "      read HDRS or CRS 'CRS', table 'contracts' entry 'CRS'\n"
      "  Waiting in a hospital or care bed (1 = yes)  -> 0\n"
      "      read Referral Source 'URTS', table 'bed_sources' default (not listed)\n";
  const std::string text = engine::format_explanation_text(e, provenance());
  CHECK(text == expected);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    CHECK(line.size() <= 100);
  }
}

TEST_CASE("explain: a step's reads name the columns and variables it used", "[explain]") {
  const auto e = explain("S002");
  const auto& steps = e.referral.steps;
  REQUIRE(steps.size() == 15);
  // Days Waiting reads the referral date column as written.
  REQUIRE(steps[0].reads.size() == 1);
  CHECK(steps[0].reads[0].label == "Referral/Discharge Notice Date");
  CHECK(steps[0].reads[0].value == "18/11/2019");
  CHECK(steps[0].reads[0].from_column);
  CHECK(steps[0].matched == "as of 2019-12-16");
  CHECK(steps[0].result == "28");
  // ICB is not an SDEC source: the table's default.
  CHECK(steps[1].matched == "table 'sdec_sources' default (not listed)");
  CHECK(steps[1].result == "0");
  // The score formula reads three earlier steps.
  REQUIRE(steps[8].name == "prioritisation_score");
  std::vector<std::string> read;
  for (const auto& r : steps[8].reads) {
    read.push_back(r.variable + "=" + r.value);
    CHECK_FALSE(r.from_column);
  }
  CHECK(read == std::vector<std::string>{"sdec_weighting=3", "los_score=4", "mobility_score=3"});
  CHECK(steps[8].number == 21);
}

TEST_CASE("explain: S001 against S002, equal scores, decided by days waiting", "[explain]") {
  // Both score 3 * (4 + 3) = 21; S002 has waited 28 days (from 18/11/2019), S001
  // 25 (from 21/11/2019). The default order's second key, days waiting
  // descending, puts S002 first.
  SECTION("S001 first: it ranks below") {
    const auto e = explain("S001", "S002");
    REQUIRE(e.ranking);
    CHECK(e.referral.rank == 2);
    CHECK(e.other->rank == 1);
    CHECK_FALSE(e.ranking->first_ranks_higher);
    CHECK(e.ranking->decided_by_key);
    REQUIRE(e.ranking->first_keys.size() == 2);
    CHECK(e.ranking->first_keys[1].key == "days_waiting desc");
    CHECK(e.ranking->first_keys[1].value == "25");
    CHECK(e.ranking->second_keys[1].value == "28");
    CHECK(engine::ranking_sentence(e) ==
          "S001 ranks below S002: equal Prioritisation Score (21); decided by Days Waiting, "
          "higher first: 25 against 28.");
  }
  SECTION("S002 first: the whole comparison") {
    const auto e = explain("S002", "S001");
    const std::string expected =
        "S002 against S001, in sample-data/referrals.csv\n"
        "  S002 ranks 1 of 33 with Prioritisation Score 21 (line 3)\n"
        "  S001 ranks 2 of 33 with Prioritisation Score 21 (line 2)\n"
        "  rule set joint-prioritisation-protocol 2019.10 (sha256 0123456789ab), as of "
        "2019-12-16\n"
        "\n"
        "  Step                                         S002                S001\n"
        "  Days Waiting                                 28                  25                "
        "  differs\n"
        "  SDEC referral (1 = yes)                      0                   0\n"
        "  SDEC Weighting                               3                   3\n"
        "  SDEC LOS Bonus                               0                   0\n"
        "  LOS (wait band score)                        4                   4\n"
        "  LOS Score                                    4                   4\n"
        "  LOS Total                                    4                   4\n"
        "  Mobility Score                               3                   3\n"
        "  Prioritisation Score                         21                  21\n"
        "  LOW Range                                    Waiting 22-28 days  Waiting 22-28 days\n"
        "  Care Type                                    Complex             Complex\n"
        "  Visits a day (package)                       4                   4\n"
        "  Double handed (1 = yes)                      1                   1\n"
        "  Contract                                     HDRS                CRS               "
        "  differs\n"
        "  Waiting in a hospital or care bed (1 = yes)  1                   0                 "
        "  differs\n"
        "\n"
        "Where they differ:\n"
        "  Days Waiting: 28 against 25\n"
        "      S002: read Referral/Discharge Notice Date '18/11/2019', as of 2019-12-16\n"
        "      S001: read Referral/Discharge Notice Date '21/11/2019', as of 2019-12-16\n"
        "  Contract: HDRS against CRS\n"
        "      S002: read HDRS or CRS 'HDRS', table 'contracts' entry 'HDRS'\n"
        "      S001: read HDRS or CRS 'CRS', table 'contracts' entry 'CRS'\n"
        "  Waiting in a hospital or care bed (1 = yes): 1 against 0\n"
        "      S002: read Referral Source 'ICB', table 'bed_sources' entry 'ICB'\n"
        "      S001: read Referral Source 'SPA', table 'bed_sources' default (not listed)\n"
        "\n"
        "S002 ranks above S001: equal Prioritisation Score (21); decided by Days Waiting, "
        "higher first: 28 against 25.\n";
    CHECK(engine::format_explanation_text(e, provenance()) == expected);
  }
}

TEST_CASE("explain: a pair that differs by score", "[explain]") {
  // S003 (URTS, SDEC): 5 * (max(1, 3) + 1) = 20. S024 (Acute Hospitals, 12 days,
  // immobile/hoist): 3 * (max(1, 0) + 3) = 12. The score alone decides.
  const auto e = explain("S024", "S003");
  REQUIRE(e.ranking);
  CHECK_FALSE(e.ranking->first_ranks_higher);
  REQUIRE(e.ranking->first_keys.size() == 1);
  CHECK(e.ranking->first_keys[0].key == "prioritisation_score desc");
  CHECK(engine::ranking_sentence(e) ==
        "S024 ranks below S003: decided by Prioritisation Score, higher first: 12 against 20.");

  // Step by step (S024 first): only the LOS band (both 1-14 days) and the wait
  // range (both 8-14 days) agree.
  std::vector<std::string> differing;
  for (const auto& step : e.steps_compared) {
    if (step.differs) {
      differing.push_back(step.title + ": " + step.first + " / " + step.second);
    }
  }
  CHECK(differing == std::vector<std::string>{
                         "Days Waiting: 12 / 14",
                         "SDEC referral (1 = yes): 0 / 1",
                         "SDEC Weighting: 3 / 5",
                         "SDEC LOS Bonus: 0 / 3",
                         "LOS Score: 1 / 3",
                         "LOS Total: 1 / 4",
                         "Mobility Score: 3 / 1",
                         "Prioritisation Score: 12 / 20",
                         "Care Type: Complex / Simple",
                         "Visits a day (package): 4 / 1",
                         "Double handed (1 = yes): 1 / 0",
                         "Contract: HDRS / CRS",
                         "Waiting in a hospital or care bed (1 = yes): 1 / 0",
                     });
  const std::string text = engine::format_explanation_text(e, provenance());
  CHECK_THAT(text, Catch::Contains("  Prioritisation Score: 12 against 20\n"
                                   "      S024: sdec_weighting * (los_score + mobility_score),\n"
                                   "            with sdec_weighting = 3, los_score = 1, "
                                   "mobility_score = 3\n"
                                   "      S003: sdec_weighting * (los_score + mobility_score),\n"
                                   "            with sdec_weighting = 5, los_score = 3, "
                                   "mobility_score = 1\n"));
}

TEST_CASE("explain: other ranking orders name the key that decided", "[explain]") {
  SECTION("a date key: earlier referral first") {
    const auto rules = rules_ordered_by("\"prioritisation_score desc\", \"referral_date asc\"");
    CHECK(engine::ranking_sentence(explain("S001", "S002", rules)) ==
          "S001 ranks below S002: equal Prioritisation Score (21); decided by "
          "Referral/Discharge Notice Date, earlier first: 21/11/2019 against 18/11/2019.");
  }
  SECTION("a text key: ids A to Z") {
    // S003 and S004 both score 20.
    const auto rules = rules_ordered_by("\"prioritisation_score desc\", \"id asc\"");
    CHECK(engine::ranking_sentence(explain("S004", "S003", rules)) ==
          "S004 ranks below S003: equal Prioritisation Score (20); decided by Referral ID, "
          "A to Z: S004 against S003.");
  }
  SECTION("every key equal: input position decides") {
    const auto rules = rules_ordered_by("\"prioritisation_score desc\"");
    const auto e = explain("S002", "S001", rules);
    REQUIRE(e.ranking);
    CHECK_FALSE(e.ranking->decided_by_key);
    CHECK(e.referral.rank == 2);
    CHECK(engine::ranking_sentence(e) ==
          "S002 ranks below S001: equal Prioritisation Score (21); decided by position in the "
          "file, earlier first: line 3 against line 2.");
    const auto json = nlohmann::json::parse(engine::format_explanation_json(e, provenance()));
    CHECK(json["ranking"]["decided_by"]["key"].is_null());
    CHECK(json["ranking"]["decided_by"]["first"] == 3);
    CHECK(json["ranking"]["decided_by"]["second"] == 2);
  }
}

TEST_CASE("explain: ranks agree with the published table sorted independently", "[explain]") {
  // Plain sort of seed-expected.csv: score desc, days desc, referral date asc, id asc.
  const auto expected = tests::parse_csv_table(tests::slurp(k_spec_dir + "/seed-expected.csv"));
  const auto input = tests::parse_csv_table(tests::slurp(k_spec_dir + "/seed-scenario.csv"));
  struct Row {
    int score;
    int days;
    std::tuple<int, int, int> date;  // year, month, day
    std::string id;
  };
  std::vector<Row> rows;
  for (const auto& row : expected.rows) {
    const std::string id = row.at("Referral ID");
    const std::string date = input.row_with("Referral ID", id).at("Referral/Discharge Notice Date");
    rows.push_back(
        {std::stoi(row.at("Prioritisation Score")),
         std::stoi(row.at("Days Waiting")),
         {std::stoi(date.substr(6, 4)), std::stoi(date.substr(3, 2)), std::stoi(date.substr(0, 2))},
         id});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.score != b.score) {
      return a.score > b.score;
    }
    if (a.days != b.days) {
      return a.days > b.days;
    }
    if (a.date != b.date) {
      return a.date < b.date;
    }
    return a.id < b.id;
  });
  REQUIRE(rows.size() == 33);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(rows[i].id);
    const auto e = explain(rows[i].id);
    CHECK(e.referral.rank == i + 1);
    CHECK(e.referral.score == rows[i].score);
    CHECK(e.referral.steps[0].result == std::to_string(rows[i].days));
  }
}

TEST_CASE("explain: an unknown id names the file and suggests a near one", "[explain]") {
  CHECK_THROWS_AS(explain("S0002"), engine::InputError);
  CHECK_THROWS_WITH(explain("S0002"),
                    "sample-data/referrals.csv: no referral has Referral ID 'S0002' "
                    "(did you mean 'S002'?)");
  CHECK_THROWS_WITH(explain("Z999"),
                    "sample-data/referrals.csv: no referral has Referral ID 'Z999'");
  CHECK_THROWS_WITH(explain("S001", "s01"),
                    "sample-data/referrals.csv: no referral has Referral ID 's01' "
                    "(did you mean 'S001'?)");
  CHECK_THROWS_AS(explain("S001", "S001"), engine::ConfigError);
  CHECK_THROWS_AS(explain(""), engine::ConfigError);
}

TEST_CASE("explain: a row that cannot be scored is still explained", "[explain]") {
  const std::string csv = sample_with({
      // line 35: an unknown mobility; the steps before Mobility Score still run
      "S034,Triaged,South,SPA,OX11,AM,OD,No,0.5,3.5,Simple,CRS,SPA,,21/11/2019,22/11/2019,Walks",
      // line 36: S002 again
      "S002,Triaged,South,SPA,OX11,AM,OD,No,0.5,3.5,Simple,CRS,SPA,,21/11/2019,22/11/2019,"
      "Immobile/Hoist",
  });
  SECTION("the reason, and the steps evaluated before the problem") {
    const auto e = explain("S034", "", engine::default_rules(), csv);
    CHECK_FALSE(e.referral.scored);
    CHECK(e.referral.line == 35);
    CHECK(e.referral.rank == 0);
    CHECK(e.unscorable == 2);
    CHECK(e.referral.problem_column == "Mobility");
    CHECK(e.referral.problem_reason ==
          "'Walks' is not a known value; expected one of: Independent with mobility, Mobile "
          "with 1 staff, Mobile with 2 staff, Immobile/Hoist");
    REQUIRE(e.referral.steps.size() == 7);  // Days Waiting .. LOS Total
    CHECK(e.referral.steps.back().title == "LOS Total");
    const std::string text = engine::format_explanation_text(e, provenance());
    CHECK_THAT(text, Catch::StartsWith(
                         "S034 cannot be scored, so it is not ranked; it is still waiting and "
                         "needs attention\n"
                         "  line 35 of sample-data/referrals.csv: column 'Mobility': 'Walks' is "
                         "not a known value; expected one of: Independent with mobility, Mobile "
                         "with 1 staff, Mobile with 2 staff, Immobile/Hoist\n"));
    CHECK_THAT(text, Catch::Contains("\nSteps evaluated before the problem:\n"
                                     "  Days Waiting             -> 25\n"));
  }
  SECTION("a duplicated id: the first row ranks, the other is named") {
    const auto e = explain("S002", "S034", engine::default_rules(), csv);
    CHECK(e.referral.scored);
    CHECK(e.referral.line == 3);
    REQUIRE(e.referral.same_id_rows.size() == 1);
    CHECK(e.referral.same_id_rows[0].line == 36);
    CHECK(e.referral.same_id_rows[0].reason == "duplicate id 'S002' (first seen on row 3)");
    CHECK_FALSE(e.ranking);
    CHECK(engine::ranking_sentence(e) ==
          "No ranking comparison: S034 cannot be scored, so it is not ranked.");
    CHECK_THAT(engine::format_explanation_text(e, provenance()),
               Catch::Contains("  line 36 also has id S002 and cannot be scored: column "
                               "'Referral ID': duplicate id 'S002' (first seen on row 3)\n"));
  }
}

TEST_CASE("explain: the rule set's checks: warnings shown, a failed check explained", "[explain]") {
  const std::string csv = sample_with({
      // line 35: weekly hours 10, not 7 x 1: a warning; BD matches its two slots
      "S037,Triaged,South,SPA,OX11,\"AM, PM\",BD,No,1,10,Moderate,CRS,SPA,,21/11/2019,"
      "22/11/2019,Mobile with 1 staff",
      // line 36: QDS (4 visits) but one slot listed: rejected after every step ran
      "S038,Triaged,South,SPA,OX11,AM,QDS,No,1,7,Moderate,CRS,SPA,,21/11/2019,22/11/2019,"
      "Mobile with 1 staff",
  });
  SECTION("a warning: still ranked, and said") {
    const auto e = explain("S037", "", engine::default_rules(), csv);
    CHECK(e.referral.scored);
    REQUIRE(e.referral.warnings.size() == 1);
    CHECK(e.referral.warnings[0].column == "Hours of Care (Weekly)");
    CHECK_THAT(e.referral.warnings[0].reason,
               Catch::StartsWith("weekly hours are not 7 times the daily hours ("));
    CHECK_THAT(engine::format_explanation_text(e, provenance()),
               Catch::Contains("\n  warning: column 'Hours of Care (Weekly)': weekly hours are "
                               "not 7 times the daily hours ("));
  }
  SECTION("a failed check: every step ran, the row is not ranked") {
    const auto e = explain("S038", "S001", engine::default_rules(), csv);
    CHECK_FALSE(e.referral.scored);
    CHECK(e.referral.problem_column == "Package");
    CHECK_THAT(e.referral.problem_reason,
               Catch::StartsWith("the package's visits a day do not match the visit slots "
                                 "listed ("));
    CHECK(e.referral.steps.size() == engine::default_rules().steps.size());
    CHECK_FALSE(e.ranking);
    CHECK(e.steps_compared[7].title == "Mobility Score");
    CHECK(e.steps_compared[7].first == "1");
    CHECK(e.steps_compared[7].second == "3");
    CHECK(e.steps_compared[7].differs);
  }
}

TEST_CASE("explain: JSON carries the same facts, numbers as numbers", "[explain]") {
  const auto json =
      nlohmann::json::parse(engine::format_explanation_json(explain("S002", "S001"), provenance()));
  CHECK(json["as_of"] == "2019-12-16");
  CHECK(json["rule_set"]["name"] == "joint-prioritisation-protocol");
  CHECK(json["ranked"] == 33);
  CHECK(json["referral"]["id"] == "S002");
  CHECK(json["referral"]["rank"] == 1);
  CHECK(json["referral"]["score"].is_number_integer());
  CHECK(json["referral"]["score"] == 21);
  CHECK(json["referral"]["steps"][0]["reads"][0]["value"] == "18/11/2019");
  CHECK(json["referral"]["steps"][0]["result"] == 28);
  CHECK(json["referral"]["steps"][9]["result"] == "Waiting 22-28 days");
  CHECK(json["vs"]["rank"] == 2);
  CHECK(json["ranking"]["first_ranks_higher"] == true);
  CHECK(json["ranking"]["equal_keys"][0]["value"] == 21);
  CHECK(json["ranking"]["decided_by"]["key"] == "days_waiting desc");
  CHECK(json["ranking"]["decided_by"]["first"] == 28);
  CHECK(json["ranking"]["decided_by"]["second"] == 25);
  CHECK(json["steps_compared"][0]["differs"] == true);
  CHECK(json["steps_compared"][1]["differs"] == false);
}
