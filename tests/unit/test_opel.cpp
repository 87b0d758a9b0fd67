// Operational pressure (OPEL 1-4): a rule file's [opel.N] overrides and
// engine::rules_for_opel (engine/rule_loader.cpp), their checks at load time and
// how `rules show` lists them (engine/rule_report.cpp).
//
// tests/data/opel-rules.toml is scored at its own rules and at OPEL 1, 3 and 4
// against values calculated by hand below. The error cases append [opel]
// tables to k_rules, a small rule text whose last line is 54, so the appended
// text starts on line 56.
#include <engine/date.hpp>
#include <engine/errors.hpp>
#include <engine/rule_report.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>
#include <tests/support/csv_table.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using engine::RuleError;
using engine::RuleSet;

namespace {

const std::string k_rules_path = std::string(REABLEMENT_SOURCE_DIR) + "/tests/data/opel-rules.toml";

const RuleSet& opel_rules() {
  static const RuleSet k_rules = engine::load_rules_file(k_rules_path);
  return k_rules;
}

// As of 16/12/2019 the referrals have waited 0, 5, 10, 15 and 20 days.
const std::string k_referrals =
    "Referral ID,Referral Source,Mobility,Referral Date\n"
    "R1,URTS,Independent,16/12/2019\n"
    "R2,SPA,One carer,11/12/2019\n"
    "R3,EAU,Two carers,06/12/2019\n"
    "R4,Acute Hospitals,Hoist,01/12/2019\n"
    "R5,URTS,One carer,26/11/2019\n";

std::string score_csv(const RuleSet& rules, const std::string& csv) {
  engine::ScoreRequest request;
  request.rules = &rules;
  request.as_of = *engine::make_date(2019, 12, 16);
  request.input_name = "referrals.csv";
  std::istringstream in(csv);
  std::ostringstream out;
  std::ostringstream rejects;
  const auto report = engine::score_referrals(request, in, out, &rejects);
  REQUIRE(report.rejected == 0);
  return out.str();
}

// The rows' output columns, keyed by id.
struct Expected {
  const char* id;
  const char* weight;
  const char* wait_points;
  const char* priority;
};

void check_scores(const RuleSet& rules, const std::vector<Expected>& expected) {
  const auto table = tests::parse_csv_table(score_csv(rules, k_referrals));
  REQUIRE(table.rows.size() == expected.size());
  for (const auto& e : expected) {
    CAPTURE(e.id);
    const auto& row = table.row_with("Referral ID", e.id);
    CHECK(row.at("Weight") == e.weight);
    CHECK(row.at("Wait Points") == e.wait_points);
    CHECK(row.at("Priority") == e.priority);
  }
}

// The file's own rules (and OPEL 1 and 2): urgent (URTS) weight 4, else 2;
// wait points 0-6 days 0, 7-13 1, 14+ 2; mobility Independent 0, One carer 1,
// Two carers 2, Hoist 3; priority = weight * (wait points + mobility points).
const std::vector<Expected> k_own_scores{
    {"R1", "4", "0", "0"},   // URTS, 0 days, Independent: 4 * (0 + 0) = 0
    {"R2", "2", "0", "2"},   // SPA, 5 days, One carer: 2 * (0 + 1) = 2
    {"R3", "2", "1", "6"},   // EAU is not urgent, 10 days, Two carers: 2 * (1 + 2) = 6
    {"R4", "2", "2", "10"},  // Acute, 15 days, Hoist: 2 * (2 + 3) = 10
    {"R5", "4", "2", "12"},  // URTS, 20 days, One carer: 4 * (2 + 1) = 12
};

// Line 1 is "[rule_set]"; line 54, the last, is the ranking order.
const std::string k_rules = R"toml([rule_set]
name = "mini"
version = "1"

[inputs.id]
column = "ID"
type = "id"

[inputs.source]
column = "Source"
type = "category"

[inputs.referral_date]
column = "Date"
type = "date"

[constants]
weight = 2

[tables.source_points]
entries = { A = 1, B = 2 }

[bands.wait]
bands = [{ max = 6, value = 0 }, { min = 7, value = 1 }]

[[steps]]
name = "days"
kind = "days_since"
input = "referral_date"

[[steps]]
name = "points"
kind = "lookup"
input = "source"
table = "source_points"

[[steps]]
name = "wait_points"
kind = "band"
input = "days"
bands = "wait"

[[steps]]
name = "score"
kind = "formula"
expression = "weight * (points + wait_points)"

[[outputs]]
column = "Score"
value = "score"

[ranking]
score = "score"
order = ["score desc", "id asc"]
)toml";

// k_rules with `opel` appended from line 56.
std::string with_opel(const std::string& opel) {
  return k_rules + "\n" + opel;
}

RuleSet load(const std::string& text) {
  return engine::load_rules(text, "test.toml");
}

struct ErrorCase {
  std::string what;
  std::string opel;  // appended to k_rules
  std::string expected;
};

void check_errors(const std::vector<ErrorCase>& cases) {
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      REQUIRE_THROWS_WITH(load(with_opel(c.opel)), c.expected);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- scoring at each level

TEST_CASE("the OPEL test rule set scores as calculated by hand at its own rules", "[opel]") {
  const RuleSet& rules = opel_rules();
  CHECK(rules.opel_levels == std::vector<int>{3, 4});
  CHECK_FALSE(rules.opel);
  check_scores(rules, k_own_scores);
}

TEST_CASE("a level without overrides scores exactly as the file's own rules", "[opel]") {
  const RuleSet level_1 = engine::rules_for_opel(opel_rules(), 1);
  check_scores(level_1, k_own_scores);
  CHECK(score_csv(level_1, k_referrals) == score_csv(opel_rules(), k_referrals));
  CHECK(level_1.opel == 1);
}

TEST_CASE("OPEL 3 changes a constant and nothing else", "[opel]") {
  // [opel.3.constants] urgent_weight = 6: only the URTS rows change.
  check_scores(engine::rules_for_opel(opel_rules(), 3),
               {
                   {"R1", "6", "0", "0"},   // 6 * (0 + 0) = 0
                   {"R2", "2", "0", "2"},   // unchanged: 2 * (0 + 1) = 2
                   {"R3", "2", "1", "6"},   // unchanged: 2 * (1 + 2) = 6
                   {"R4", "2", "2", "10"},  // unchanged: 2 * (2 + 3) = 10
                   {"R5", "6", "2", "18"},  // 6 * (2 + 1) = 18
               });
}

TEST_CASE("OPEL 4 changes a table, a band set and a step formula", "[opel]") {
  // EAU becomes urgent (weight 4); wait points 0-2 days 0, 3-6 1, 7-13 2, 14+ 4;
  // priority = weight * wait points + 2 * mobility points. urgent_weight stays 4:
  // levels do not build on one another.
  check_scores(engine::rules_for_opel(opel_rules(), 4),
               {
                   {"R1", "4", "0", "0"},   // URTS, 0 days: 4 * 0 + 2 * 0 = 0
                   {"R2", "2", "1", "4"},   // SPA, 5 days: 2 * 1 + 2 * 1 = 4
                   {"R3", "4", "2", "12"},  // EAU, 10 days: 4 * 2 + 2 * 2 = 12
                   {"R4", "2", "4", "14"},  // Acute, 15 days: 2 * 4 + 2 * 3 = 14
                   {"R5", "4", "4", "18"},  // URTS, 20 days: 4 * 4 + 2 * 1 = 18
               });
}

TEST_CASE("the rules at a level keep the file's hash and name the level", "[opel]") {
  const RuleSet& own = opel_rules();
  const RuleSet level_3 = engine::rules_for_opel(own, 3);
  CHECK(level_3.hash == own.hash);
  CHECK(level_3.source_name == own.source_name);
  CHECK(level_3.opel == 3);
  CHECK(level_3.opel_levels == own.opel_levels);
  CHECK(own.identity() == "opel-test 1 (sha256 " + own.hash.substr(0, 12) + ")");
  CHECK(level_3.identity() == "opel-test 1 (sha256 " + own.hash.substr(0, 12) + ") at OPEL 3");
  CHECK(engine::rules_for_opel(own, 1).identity() ==
        "opel-test 1 (sha256 " + own.hash.substr(0, 12) + ") at OPEL 1");
}

TEST_CASE("a level applies to the file's own rules, whatever level it is asked from", "[opel]") {
  const RuleSet level_3 = engine::rules_for_opel(opel_rules(), 3);
  // From OPEL 3 to OPEL 1 (no overrides): back to the file's own scores.
  check_scores(engine::rules_for_opel(level_3, 1), k_own_scores);
  // From OPEL 3 to OPEL 4: OPEL 4's urgent weight is the file's 4, not OPEL 3's 6.
  const RuleSet level_4 = engine::rules_for_opel(level_3, 4);
  CHECK(level_4.find_step("priority")->expression == "weight * wait_points + 2 * mobility_points");
  CHECK(level_4.constants.front().name == "urgent_weight");
  CHECK(level_4.constants.front().value == 4);
}

TEST_CASE("merged overrides point at their own lines and keep the file's order", "[opel]") {
  const RuleSet text_rules =
      load(with_opel("[opel.2.constants]\n"
                     "weight = 3\n"
                     "\n"
                     "[opel.2.tables.source_points.entries]\n"
                     "B = 5\n"
                     "C = 7\n"));
  const RuleSet rules = engine::rules_for_opel(text_rules, 2);
  REQUIRE(rules.constants.size() == 1);
  CHECK(rules.constants[0].value == 3);
  CHECK(rules.constants[0].location.to_string() == "test.toml:57:10");
  const auto* table = rules.find_table("source_points");
  REQUIRE(table->entries.size() == 3);
  CHECK(table->entries[0].category == "A");
  CHECK(table->entries[0].number == 1);
  CHECK(table->entries[1].category == "B");  // replaced in place
  CHECK(table->entries[1].number == 5);
  CHECK(table->entries[2].category == "C");  // added at the end
  CHECK(table->entries[2].number == 7);
  REQUIRE(rules.steps.size() == 4);
  CHECK(rules.steps[3].name == "score");
}

TEST_CASE("OPEL levels must be 1 to 4 when rules are asked for", "[opel]") {
  REQUIRE_THROWS_AS(engine::rules_for_opel(opel_rules(), 5), engine::ConfigError);
  REQUIRE_THROWS_WITH(engine::rules_for_opel(opel_rules(), 5),
                      "there is no OPEL level 5; the levels are 1, 2, 3 and 4");
  REQUIRE_THROWS_WITH(engine::rules_for_opel(opel_rules(), 0),
                      "there is no OPEL level 0; the levels are 1, 2, 3 and 4");
}

// ---------------------------------------------------------------- the default rules

TEST_CASE("the published rules have no OPEL overrides and score the same at any level", "[opel]") {
  const RuleSet& published = engine::default_rules();
  CHECK(published.opel_levels.empty());
  CHECK(published.opel_overrides.empty());
  CHECK(published.text == engine::default_rules_text());
  const RuleSet level_2 = engine::rules_for_opel(published, 2);
  CHECK(level_2.hash == published.hash);
  CHECK(level_2.identity() == published.identity() + " at OPEL 2");
  const std::string csv =
      "Referral ID,Team,Level of Support,Package,Double Handed,Hours of Care (Daily),"
      "Hours of Care (Weekly),HDRS or CRS,Referral Source,Mobility,"
      "Referral/Discharge Notice Date\n"
      "A1,South,AM,OD,No,0.5,3.5,CRS,URTS,Mobile with 1 staff,02/12/2019\n"
      "A2,North,\"AM, PM\",BD,Yes,2,14,HDRS,Acute Hospitals,Immobile/Hoist,20/11/2019\n"
      "A3,City,AM,OD,No,1,7,CRS,SPA,Independent with mobility,16/12/2019\n";
  CHECK(score_csv(level_2, csv) == score_csv(published, csv));
}

// ---------------------------------------------------------------- rules show

TEST_CASE("describe_rules lists each level's overrides", "[opel]") {
  const std::string text = engine::describe_rules(opel_rules());
  CAPTURE(text);
  CHECK(text.find("\nUnder operational pressure (levels not listed use the file's own rules)\n"
                  "  OPEL 3 overrides: constant urgent_weight = 6\n"
                  "  OPEL 4 overrides: table urgent_sources; bands wait_points; step priority\n") !=
        std::string::npos);
  CHECK(engine::describe_rules(engine::default_rules()).find("OPEL") == std::string::npos);
}

TEST_CASE("describe_rules at a level shows the effective rules and the level", "[opel]") {
  const std::string text = engine::describe_rules(engine::rules_for_opel(opel_rules(), 4));
  CAPTURE(text);
  CHECK(text.find("rule set: opel-test 1 at OPEL 4\n") != std::string::npos);
  CHECK(text.find("    0-2   0\n    3-6   1\n    7-13  2\n    14+   4\n") != std::string::npos);
  CHECK(text.find("= weight * wait_points + 2 * mobility_points\n") != std::string::npos);
  CHECK(text.find("    EAU              1\n") != std::string::npos);
}

TEST_CASE("summarise_rules names the levels with overrides", "[opel]") {
  const RuleSet& rules = opel_rules();
  CHECK(engine::summarise_rules(rules) == "rule set: opel-test 1\nsource:   " + k_rules_path +
                                              "\nsha256:   " + rules.hash +
                                              "\nOPEL overrides at levels 3, 4\n"
                                              "4 inputs, 2 tables, 1 band sets, 6 steps, 5 "
                                              "output columns\n");
}

// ---------------------------------------------------------------- errors

TEST_CASE("the error cases' rule text loads, with overrides from line 56", "[opel]") {
  const RuleSet rules = load(with_opel("[opel.3.constants]\nweight = 3\n"));
  CHECK(rules.opel_levels == std::vector<int>{3});
  REQUIRE(rules.opel_overrides.size() == 1);
  CHECK(rules.opel_overrides[0].location.to_string() == "test.toml:56:1");
  CHECK(rules.opel_overrides[0].constants[0].location.to_string() == "test.toml:57:10");
}

TEST_CASE("an [opel] key that is not a level 1 to 4 is reported at the key", "[opel]") {
  check_errors({
      {"level 5", "[opel.5.constants]\nweight = 3\n",
       "test.toml:56:7: unknown OPEL level '5' in [opel]; the levels are 1, 2, 3 and 4"},
      {"level 0", "[opel]\n0 = { constants = { weight = 3 } }\n",
       "test.toml:57:1: unknown OPEL level '0' in [opel]; the levels are 1, 2, 3 and 4"},
      {"a word", "[opel.high.constants]\nweight = 3\n",
       "test.toml:56:7: unknown OPEL level 'high' in [opel]; the levels are 1, 2, 3 and 4"},
      {"not a table", "[opel]\n3 = 1\n",
       "test.toml:57:5: [opel.3] must be a table of overrides, such as [opel.3.constants]"},
  });
  // At the top level, before any table.
  REQUIRE_THROWS_WITH(load("opel = 3\n" + k_rules),
                      "test.toml:1:8: key 'opel' in the rule file must be a table");
}

TEST_CASE("an unknown key under [opel.N] gets a did-you-mean", "[opel]") {
  check_errors({
      {"misspelt", "[opel.3.constant]\nweight = 3\n",
       "test.toml:56:9: unknown key 'constant' in [opel.3] (did you mean 'constants'?)"},
      {"not overridable", "[opel.3.ranking]\nscore = \"days\"\n",
       "test.toml:56:9: unknown key 'ranking' in [opel.3]"},
      {"the wrong type", "[opel.3]\nsteps = 1\n",
       "test.toml:57:9: key 'steps' in [opel.3] must be a table"},
  });
}

TEST_CASE("an override must name what the rule set defines", "[opel]") {
  check_errors({
      {"a constant", "[opel.3.constants]\nwieght = 3\n",
       "test.toml:57:1: [opel.3] overrides constant 'wieght', which the rule set does not define "
       "(did you mean 'weight'?)"},
      {"a table", "[opel.3.tables.source_point.entries]\nA = 3\n",
       "test.toml:56:16: [opel.3] overrides table 'source_point', which the rule set does not "
       "define (did you mean 'source_points'?)"},
      {"a band set", "[opel.3.bands.waiting]\nbands = []\n",
       "test.toml:56:15: [opel.3] overrides band set 'waiting', which the rule set does not "
       "define"},
      {"a step", "[opel.3.steps.scor]\nexpression = \"points\"\n",
       "test.toml:56:15: [opel.3] overrides step 'scor', which the rule set does not define "
       "(did you mean 'score'?)"},
      {"an input is not a step", "[opel.3.steps.source]\nkind = \"text\"\n",
       "test.toml:56:15: [opel.3] overrides step 'source', which the rule set does not "
       "define"},
  });
}

TEST_CASE("a step override changes keys, not the step's name", "[opel]") {
  check_errors({
      {"renamed", "[opel.4.steps.score]\nname = \"total\"\n",
       "test.toml:57:8: [opel.4] may not rename step 'score'"},
      {"not a table", "[opel.4.steps]\nscore = \"points\"\n",
       "test.toml:57:9: [opel.4] overrides step 'score' with keys to change, such as "
       "[opel.4.steps.score]"},
  });
}

TEST_CASE("the rules at each level are checked like the file's own, at the override", "[opel]") {
  check_errors({
      {"a formula with an unknown variable",
       "[opel.4.steps.score]\n"
       "expression = \"weight * (points + wait_point)\"\n",
       "test.toml:57:34: OPEL 4: step 'score': formula uses unknown variable 'wait_point' (did you "
       "mean 'wait_points'?)"},
      {"a constant that is not a number", "[opel.3.constants]\nweight = \"high\"\n",
       "test.toml:57:10: OPEL 3: constant 'weight' must be a number"},
      {"bands that leave a gap",
       "[opel.2.bands.wait]\n"
       "bands = [{ max = 6, value = 0 }, { min = 8, value = 1 }]\n",
       "test.toml:57:34: OPEL 2: [bands.wait]: bands up to 6 and 8+ leave a gap between them"},
      {"an unknown key in an overridden band set", "[opel.2.bands.wait]\nband = []\n",
       "test.toml:57:1: OPEL 2: unknown key 'band' in [bands.wait] (did you mean 'bands'?)"},
      {"a step's kind changed, leaving keys that do not apply",
       "[opel.1.steps.points]\n"
       "kind = \"formula\"\nexpression = \"1\"\n",
       "test.toml:34:9: OPEL 1: step 'points': 'input' does not apply to a 'formula' step\n"
       "test.toml:35:9: OPEL 1: step 'points': 'table' does not apply to a 'formula' step"},
  });
}

TEST_CASE("problems at several levels are reported together, in line order", "[opel]") {
  check_errors({
      {"two levels", "[opel.3.constants]\nweight = \"high\"\n\n[opel.4.steps.scor]\nkind = \"x\"\n",
       "test.toml:57:10: OPEL 3: constant 'weight' must be a number\n"
       "test.toml:59:15: [opel.4] overrides step 'scor', which the rule set does not define "
       "(did you mean 'score'?)"},
  });
}

TEST_CASE("a problem of the file's own rules is reported once, not at every level", "[opel]") {
  std::string text =
      with_opel("[opel.3.constants]\nweight = 3\n\n[opel.4.constants]\nweight = 4\n");
  text.replace(text.find("wait_points)"), 11, "wait_point");
  const auto message =
      "test.toml:46:34: step 'score': formula uses unknown variable 'wait_point' "
      "(did you mean 'wait_points'?)";
  REQUIRE_THROWS_WITH(load(text), message);
}
