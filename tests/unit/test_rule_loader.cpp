// Tests for engine/rule_loader.cpp, engine/rule_set.cpp, engine/rule_report.cpp and
// engine/sha256.cpp: the default rule set, its hash, and every validation error a
// rule file can raise, each asserted as the full "source:line:column: message".
//
// Each error case edits a copy of k_valid, a small rule set that loads cleanly;
// the line and column numbers in the expected messages refer to that text.
#include <engine/errors.hpp>
#include <engine/file_io.hpp>
#include <engine/rule_report.hpp>
#include <engine/rule_set.hpp>
#include <engine/sha256.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using engine::RuleError;
using engine::RuleSet;

namespace {

const std::string k_rules_path =
    std::string(REABLEMENT_SOURCE_DIR) + "/rules/joint-protocol-2019.toml";

// Line 1 is "[rule_set]"; line 66, the last, is the ranking order.
const std::string k_valid = R"toml([rule_set]
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

[inputs.note]
column = "Note"
type = "text"

[constants]
weight = 2

[tables.source_score]
title = "Source points"

[tables.source_score.entries]
A = 1
B = 2

[bands.wait]
type = "integer"
bands = [
  { max = 6, value = 0 },
  { min = 7, value = 1 },
]

[[steps]]
name = "days"
kind = "days_since"
input = "referral_date"

[[steps]]
name = "source_points"
kind = "lookup"
input = "source"
table = "source_score"

[[steps]]
name = "wait_points"
kind = "band"
input = "days"
bands = "wait"

[[steps]]
name = "score"
kind = "formula"
expression = "weight * (source_points + wait_points)"

[[outputs]]
column = "Score"
value = "score"

[ranking]
score = "score"
order = ["score desc", "id asc"]
)toml";

// Replaces the first `from` with `to`; an empty `from` appends `to` to the end.
struct Edit {
  std::string from;
  std::string to;
};

std::string edited(const std::vector<Edit>& edits) {
  std::string text = k_valid;
  for (const auto& edit : edits) {
    if (edit.from.empty()) {
      text += edit.to;
      continue;
    }
    const auto at = text.find(edit.from);
    if (at == std::string::npos) {
      throw std::logic_error("test bug: '" + edit.from + "' is not in the rule text");
    }
    text.replace(at, edit.from.size(), edit.to);
  }
  return text;
}

RuleSet load(const std::string& text) {
  return engine::load_rules(text, "test.toml");
}

// The RuleError loading `text` throws (the test fails if it throws none).
RuleError rule_error(const std::string& text) {
  try {
    load(text);
  } catch (const RuleError& error) {
    return error;
  }
  FAIL("the rule text loaded without an error");
  throw std::logic_error("unreachable");
}

// A case whose whole message, location included, is asserted.
struct ErrorCase {
  std::string what;
  std::vector<Edit> edits;
  std::string expected;
};

// Each case runs in its own section, so one failing case does not hide the others.
void check_errors(const std::vector<ErrorCase>& cases) {
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      const std::string text = edited(c.edits);
      REQUIRE_THROWS_WITH(load(text), c.expected);
    }
  }
}

// Gives [bands.wait] the type and the two bands given, on lines 32, 34 and 35.
std::vector<Edit> bands(std::string_view type, std::string_view lower_band,
                        std::string_view upper_band) {
  return {{"type = \"integer\"", "type = \"" + std::string(type) + "\""},
          {"{ max = 6, value = 0 }", std::string(lower_band)},
          {"{ min = 7, value = 1 }", std::string(upper_band)}};
}

}  // namespace

// ---------------------------------------------------------------- the default rule set

TEST_CASE("the default rule set loads with its name, version, inputs and steps", "[rules]") {
  const RuleSet& rules = engine::default_rules();
  CHECK(rules.name == "joint-prioritisation-protocol");
  CHECK(rules.version == "2019.10");
  CHECK(rules.title == "Joint prioritisation protocol (October 2019)");
  CHECK(rules.source_name == "rules/joint-protocol-2019.toml");
  REQUIRE(rules.inputs.size() == 11);
  REQUIRE(rules.steps.size() == 15);
  REQUIRE(rules.outputs.size() == 9);
  CHECK(rules.constants.size() == 3);
  CHECK(rules.tables.size() == 6);
  CHECK(rules.visit_slots == std::vector<std::string>{"AM", "Lunch", "Tea", "PM"});
  CHECK(rules.pick_up.visit_slots == "visit_slots");
  CHECK(rules.pick_up.double_handed == "two_carers");
  CHECK(rules.pick_up.in_bed == "in_bed");
  CHECK(rules.band_sets.size() == 3);

  std::vector<std::string> inputs;
  for (const auto& input : rules.inputs) {
    inputs.push_back(input.name);
  }
  CHECK(inputs == std::vector<std::string>{"id", "source", "mobility", "referral_date",
                                           "daily_hours", "weekly_hours", "team", "visit_slots",
                                           "package", "double_handed", "contract"});
  CHECK(rules.id_input().column == "Referral ID");

  std::vector<std::string> steps;
  for (const auto& step : rules.steps) {
    steps.push_back(step.name);
  }
  CHECK(steps == std::vector<std::string>{
                     "days_waiting", "sdec", "sdec_weighting", "sdec_los_bonus", "los", "los_score",
                     "los_total", "mobility_score", "prioritisation_score", "low_range",
                     "care_type", "visits_a_day", "two_carers", "contract_name", "in_bed"});
}

TEST_CASE("the default rule set's output columns are in the published order", "[rules]") {
  std::vector<std::string> columns;
  for (const auto& output : engine::default_rules().outputs) {
    columns.push_back(output.column);
  }
  CHECK(columns == std::vector<std::string>{"Days Waiting", "SDEC Weighting", "SDEC LOS Bonus",
                                            "LOS Score", "LOS Total", "LOS", "Mobility Score",
                                            "Prioritisation Score", "LOW Range"});
}

TEST_CASE("the default rule set ranks by score, then wait, then referral date, then id",
          "[rules]") {
  const RuleSet& rules = engine::default_rules();
  CHECK(rules.score_variable == "prioritisation_score");
  REQUIRE(rules.order.size() == 4);
  const std::pair<std::string, bool> expected[] = {
      {"prioritisation_score", true},
      {"days_waiting", true},
      {"referral_date", false},
      {"id", false},
  };
  for (std::size_t i = 0; i < rules.order.size(); ++i) {
    CAPTURE(i);
    CHECK(rules.order[i].variable == expected[i].first);
    CHECK(rules.order[i].descending == expected[i].second);
  }
}

TEST_CASE("the default rule set's bands place values at their edges", "[rules]") {
  const RuleSet& rules = engine::default_rules();
  const auto* wait = rules.find_band_set("wait_band");
  const auto* care = rules.find_band_set("care_type");
  REQUIRE(wait != nullptr);
  REQUIRE(care != nullptr);
  const std::pair<double, double> wait_cases[] = {{0, 0},  {1, 1},  {14, 1}, {15, 3},
                                                  {21, 3}, {22, 4}, {400, 4}};
  for (const auto& [days, score] : wait_cases) {
    CAPTURE(days);
    REQUIRE(wait->find(days) != nullptr);
    CHECK(wait->find(days)->number == score);
  }
  CHECK(wait->find(-1) == nullptr);
  const std::pair<double, std::string> care_cases[] = {
      {0, "Simple"}, {0.5, "Simple"},   {0.51, "Moderate"}, {1, "Moderate"},
      {1.5, "High"}, {1.75, "Complex"}, {12, "Complex"},
  };
  for (const auto& [hours, label] : care_cases) {
    CAPTURE(hours);
    REQUIRE(care->find(hours) != nullptr);
    CHECK(care->find(hours)->label == label);
  }
  CHECK(care->find(-0.25) == nullptr);
}

TEST_CASE("sha256_hex gives the published test vectors", "[rules]") {
  CHECK(engine::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(engine::sha256_hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("the default rule set's hash is the SHA-256 of the rule file's bytes", "[rules]") {
  const std::string bytes = engine::read_file(k_rules_path);
  const RuleSet& rules = engine::default_rules();
  CHECK(engine::default_rules_text() == bytes);
  CHECK(rules.hash == engine::sha256_hex(bytes));
  CHECK(rules.hash.size() == 64);
  CHECK(rules.hash.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(rules.identity() ==
        "joint-prioritisation-protocol 2019.10 (sha256 " + rules.hash.substr(0, 12) + ")");
}

TEST_CASE("load_rules_file names the rule set after its path and hashes the same bytes",
          "[rules]") {
  const RuleSet rules = engine::load_rules_file(k_rules_path);
  CHECK(rules.source_name == k_rules_path);
  CHECK(rules.hash == engine::default_rules().hash);
  REQUIRE_THROWS_AS(engine::load_rules_file("/nonexistent/rules.toml"), engine::ConfigError);
  REQUIRE_THROWS_WITH(
      engine::load_rules_file("/nonexistent/rules.toml"),
      "/nonexistent/rules.toml: cannot open for reading: No such file or directory");
}

TEST_CASE("a rule text's hash changes with any byte, even in a comment", "[rules]") {
  const RuleSet plain = load(k_valid);
  const RuleSet commented = load(k_valid + "# a comment\n");
  CHECK(plain.hash == engine::sha256_hex(k_valid));
  CHECK(commented.hash != plain.hash);
}

TEST_CASE("describe_rules prints the default rule set readably", "[rules]") {
  const RuleSet& rules = engine::default_rules();
  const std::string text = engine::describe_rules(rules);
  CAPTURE(text);
  const std::string lines[] = {
      "Joint prioritisation protocol (October 2019)\n",
      "rule set: joint-prioritisation-protocol 2019.10\n",
      "source:   rules/joint-protocol-2019.toml\n",
      "sha256:   " + rules.hash + "\n",
      "11 inputs, 6 tables, 3 band sets, 15 steps, 9 output columns\n",
      "  referral_date  'Referral/Discharge Notice Date'  date\n",
      "  daily_hours    'Hours of Care (Daily)'           number       min 0\n",
      "  visit_slots    'Level of Support'                visit slots\n",
      "Visit slots: AM, Lunch, Tea, PM\n",
      "  package_matches_slots (reject, column 'Package')\n"
      "    visits_a_day == visit_slots\n"
      "    otherwise: the package's visits a day do not match the visit slots listed\n",
      "  double_handed  <- two_carers\n",
      "  sdec_weight      =  5\n",
      "    Immobile/Hoist             3\n",
      "    (anything else)            row rejected\n",
      "\n    0      0\n    1-14   1\n    15-21  3\n    22+    4\n",
      "    29+    Waiting 29 days +\n",
      "    over 0.5 up to 1  Moderate\n",
      "  9. prioritisation_score: Prioritisation Score\n"
      "     = sdec_weighting * (los_score + mobility_score)\n",
      "  12. visits_a_day: Visits a day (package)\n"
      "      look up package in table package_visits\n",
      "  'LOW Range'             <- low_range\n",
      "  score: prioritisation_score\n",
      "  order: prioritisation_score (highest first), days_waiting (highest first), referral_date "
      "(lowest first), id (lowest first)\n",
  };
  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK(text.find(line) != std::string::npos);
  }
  CHECK(text.find(" \n") == std::string::npos);
}

TEST_CASE("summarise_rules gives the identity and the counts", "[rules]") {
  const RuleSet rules = load(k_valid);
  CHECK(engine::summarise_rules(rules) ==
        "rule set: mini 1\nsource:   test.toml\nsha256:   " + rules.hash +
            "\n4 inputs, 1 tables, 1 band sets, 4 steps, 1 "
            "output columns\n");
}

// ---------------------------------------------------------------- the test rule text itself

TEST_CASE("the small rule text the error cases edit loads cleanly", "[rules]") {
  const RuleSet rules = load(k_valid);
  CHECK(rules.name == "mini");
  CHECK(rules.inputs.size() == 4);
  CHECK(rules.steps.size() == 4);
  CHECK(rules.find_step("wait_points")->table == "wait");
  CHECK(rules.find_input("note")->location.to_string() == "test.toml:17:1");
  CHECK(rules.find_step("score")->expression_location.to_string() == "test.toml:58:14");
}

// ---------------------------------------------------------------- TOML and keys

TEST_CASE("a TOML syntax error is reported where the parser stopped", "[rules]") {
  check_errors({
      {"unclosed table header",
       {{"[rule_set]", "[rule_set"}},
       "test.toml:1:10: Error while parsing table header: expected ']', saw '\\n'"},
      {"key given twice",
       {{"version = \"1\"", "version = \"1\"\nversion = \"2\""}},
       "test.toml:4:11: Error while parsing key-value pair: cannot redefine existing string "
       "'version'"},
  });
  CHECK(rule_error(edited({{"[rule_set]", "[rule_set"}})).diagnostics().size() == 1);
}

TEST_CASE("an unknown key is reported at the key, with the closest allowed key", "[rules]") {
  check_errors({
      {"in [rule_set]",
       {{"version = \"1\"", "version = \"1\"\ntitel = \"Mini\""}},
       "test.toml:4:1: unknown key 'titel' in [rule_set] (did you mean 'title'?)"},
      {"a misspelt required key: the key is also missing",
       {{"column = \"Note\"", "colum = \"Note\""}},
       "test.toml:17:1: [inputs.note] is missing the required key 'column'\n"
       "test.toml:18:1: unknown key 'colum' in [inputs.note] (did you mean 'column'?)"},
      {"in a band",
       {{"{ min = 7, value = 1 }", "{ mni = 7, value = 1 }"}},
       "test.toml:35:5: unknown key 'mni' in a band (did you mean 'min'?)"},
      {"at the top level",
       {{"[ranking]", "[rankng]"}},
       "test.toml:1:1: the rule file is missing the required key 'ranking'\n"
       "test.toml:64:2: unknown key 'rankng' in the rule file (did you mean 'ranking'?)"},
      {"nothing close",
       {{"version = \"1\"", "version = \"1\"\nowner = \"x\""}},
       "test.toml:4:1: unknown key 'owner' in [rule_set]"},
  });
}

TEST_CASE("a missing required key is reported at its table", "[rules]") {
  check_errors({
      {"[rule_set] version",
       {{"version = \"1\"\n", ""}},
       "test.toml:1:1: [rule_set] is missing the required key 'version'"},
      {"an input's column",
       {{"column = \"Note\"\n", ""}},
       "test.toml:17:1: [inputs.note] is missing the required key 'column'"},
      {"an output's value",
       {{"value = \"score\"\n", ""}},
       "test.toml:60:1: an output is missing the required key 'value'"},
  });
}

TEST_CASE("a key of the wrong type is reported at its value", "[rules]") {
  check_errors({
      {"a string given as a number",
       {{"version = \"1\"", "version = 1"}},
       "test.toml:3:11: key 'version' in [rule_set] must be a string"},
      {"a number given as a string",
       {{"{ max = 6, value = 0 }", "{ max = \"6\", value = 0 }"}},
       "test.toml:34:11: key 'max' in a band must be a number"},
      {"a fraction where a whole number is needed",
       {{"value = \"score\"", "value = \"score\"\ndecimals = 1.5"}},
       "test.toml:63:12: key 'decimals' in an output must be a whole number"},
      {"decimals out of range",
       {{"value = \"score\"", "value = \"score\"\ndecimals = 13"}},
       "test.toml:63:12: 'decimals' must be from 0 to 12"},
      {"an empty rule set name",
       {{"name = \"mini\"", "name = \"\""}},
       "test.toml:2:8: the rule set's name must not be empty"},
  });
}

// ---------------------------------------------------------------- inputs and constants

TEST_CASE("input types are checked, and exactly one input is the id", "[rules]") {
  check_errors({
      {"unknown type",
       {{"type = \"text\"", "type = \"integer\""}},
       "test.toml:19:8: unknown input type 'integer'; expected one of: id, category, text, "
       "number, date, slots"},
      {"two ids",
       {{"type = \"category\"", "type = \"id\""}},
       "test.toml:5:1: [inputs] must have exactly one input of type 'id' (it has 'id', 'source')"},
      {"no id",
       {{"type = \"id\"", "type = \"text\""}},
       "test.toml:5:1: [inputs] must have exactly one input of type 'id' (it has none)"},
      {"a name that cannot be a variable",
       {{"[inputs.note]", "[inputs.my-note]"}},
       "test.toml:17:1: input name 'my-note' must start with a letter or '_' and hold only "
       "letters, digits and '_'"},
      {"a constant named like an input",
       {{"weight = 2", "weight = 2\nnote = 1"}},
       "test.toml:23:8: constant 'note' has the same name as an input"},
  });
}

// ---------------------------------------------------------------- formulas

TEST_CASE("a formula's unknown variable is pointed at inside the expression", "[rules]") {
  check_errors({
      {"a typo of a step",
       {{"wait_points)\"", "wait_pionts)\""}},
       "test.toml:58:41: step 'score': formula uses unknown variable 'wait_pionts' (did you "
       "mean 'wait_points'?)"},
      {"a step using itself",
       {{"\"weight * (source_points + wait_points)\"", "\"score + 1\""}},
       "test.toml:58:15: step 'score': formula uses unknown variable 'score'"},
      {"in a literal string",
       {{"\"weight * (source_points + wait_points)\"", "'weight * wait_pionts'"}},
       "test.toml:58:24: step 'score': formula uses unknown variable 'wait_pionts' (did you "
       "mean 'wait_points'?)"},
  });
}

TEST_CASE("a formula may use only numeric variables", "[rules]") {
  check_errors({
      {"a category input",
       {{"(source_points +", "(source +"}},
       "test.toml:58:25: step 'score': variable 'source' is text; formulas work on numbers"},
      {"a date input",
       {{"(source_points +", "(referral_date +"}},
       "test.toml:58:25: step 'score': variable 'referral_date' is a date; formulas work on "
       "numbers"},
      {"a step whose bands give labels",
       {{"{ max = 6, value = 0 }", "{ max = 6, label = \"short\" }"},
        {"{ min = 7, value = 1 }", "{ min = 7, label = \"long\" }"}},
       "test.toml:58:41: step 'score': variable 'wait_points' is text; formulas work on "
       "numbers"},
  });
}

TEST_CASE("a formula syntax error is reported at the offending symbol", "[rules]") {
  check_errors({
      {"two operators",
       {{"\"weight *", "\"weight * *"}},
       "test.toml:58:24: step 'score': unexpected operator \"*\" found"},
      {"an empty expression",
       {{"\"weight * (source_points + wait_points)\"", "\"\""}},
       "test.toml:58:15: step 'score': the formula is empty"},
      {"a stray parenthesis",
       {{"\"weight * (source_points + wait_points)\"", "\"weight + )\""}},
       "test.toml:58:24: step 'score': unexpected parenthesis"},
  });
}

TEST_CASE("a formula's unknown constant gets a did-you-mean", "[rules]") {
  // Constants are did-you-mean candidates for formula variables too.
  check_errors({
      {"a typo of a constant",
       {{"\"weight *", "\"weigth *"}},
       "test.toml:58:15: step 'score': formula uses unknown variable 'weigth' (did you mean "
       "'weight'?)"},
  });
}

TEST_CASE("a formula error that muparser finds at the end points inside the expression",
          "[rules]") {
  // muparser's position for these is one past the end, which must not land after the
  // closing quote; an unclosed '(' is best shown where it opens.
  check_errors({
      {"unclosed parenthesis",
       {{"wait_points)\"", "wait_points\""}},
       "test.toml:58:24: step 'score': a parenthesis is not closed"},
      {"trailing operator",
       {{"\"weight * (source_points + wait_points)\"", "\"weight *\""}},
       "test.toml:58:23: step 'score': the formula ends too early"},
  });
}

TEST_CASE("a formula in a multi-line or escaped string is located in the file", "[rules]") {
  // The column follows the file's text, not the decoded string.
  check_errors({
      {"multi-line string",
       {{"\"weight * (source_points + wait_points)\"",
         "\"\"\"\nweight *\n  (source_pionts + wait_points)\"\"\""}},
       "test.toml:60:4: step 'score': formula uses unknown variable 'source_pionts' (did you "
       "mean 'source_points'?)"},
      {"escape sequence",
       {{"\"weight * (source_points + wait_points)\"", "\"\\u0077eight * wait_pionts\""}},
       "test.toml:58:29: step 'score': formula uses unknown variable 'wait_pionts' (did you "
       "mean 'wait_points'?)"},
  });
}

TEST_CASE("a formula may not assign or list several values", "[rules]") {
  // muparser accepts `a = 1` (it assigns to the bound variable at every evaluation) and
  // `a, 1` (it yields the last value); neither belongs in a score formula.
  check_errors({
      {"assignment",
       {{"\"weight * (source_points + wait_points)\"", "\"source_points = 1\""}},
       "test.toml:58:29: step 'score': unexpected operator \"=\" found"},
      {"comma",
       {{"\"weight * (source_points + wait_points)\"", "\"source_points, 1\""}},
       "test.toml:58:28: step 'score': unexpected comma"},
  });
}

// ---------------------------------------------------------------- bands

TEST_CASE("integer bands must meet with no gap and no overlap", "[rules]") {
  check_errors({
      {"overlap", bands("integer", "{ max = 6, value = 0 }", "{ min = 6, value = 1 }"),
       "test.toml:35:3: [bands.wait]: bands up to 6 and 6+ overlap"},
      {"gap", bands("integer", "{ max = 6, value = 0 }", "{ min = 8, value = 1 }"),
       "test.toml:35:3: [bands.wait]: bands up to 6 and 8+ leave a gap between them"},
      {"under and over the same value leave it out",
       bands("integer", "{ under = 7, value = 0 }", "{ over = 7, value = 1 }"),
       "test.toml:35:3: [bands.wait]: bands up to 6 and 8+ leave a gap between them"},
      {"two bands open below", bands("integer", "{ max = 6, value = 0 }", "{ max = 9, value = 1 }"),
       "test.toml:35:3: [bands.wait]: bands up to 6 and up to 9 overlap"},
  });
}

TEST_CASE("integer bands that meet load, in any order", "[rules]") {
  const std::vector<Edit> cases[] = {
      bands("integer", "{ max = 6, value = 0 }", "{ over = 6, value = 1 }"),
      bands("integer", "{ under = 7, value = 0 }", "{ min = 7, value = 1 }"),
      bands("integer", "{ under = 7, value = 0 }", "{ over = 6, value = 1 }"),
      bands("integer", "{ min = 7, value = 1 }", "{ max = 6, value = 0 }"),
  };
  for (const auto& edits : cases) {
    CAPTURE(edits[1].to, edits[2].to);
    REQUIRE_NOTHROW(load(edited(edits)));
  }
  const RuleSet rules = load(edited(cases[3]));
  const auto& wait = *rules.find_band_set("wait");
  CHECK(wait.bands.front().describe(true) == "up to 6");
  CHECK(wait.bands.back().describe(true) == "7+");
}

TEST_CASE("number bands must meet with no gap and no overlap", "[rules]") {
  check_errors({
      {"max and min at the same value overlap",
       bands("number", "{ max = 6.5, value = 0 }", "{ min = 6.5, value = 1 }"),
       "test.toml:35:3: [bands.wait]: bands up to 6.5 and from 6.5 overlap"},
      {"under and over the same value leave it out",
       bands("number", "{ under = 6.5, value = 0 }", "{ over = 6.5, value = 1 }"),
       "test.toml:35:3: [bands.wait]: bands under 6.5 and over 6.5 leave a gap between them"},
      {"gap", bands("number", "{ max = 6.5, value = 0 }", "{ min = 6.6, value = 1 }"),
       "test.toml:35:3: [bands.wait]: bands up to 6.5 and from 6.6 leave a gap between them"},
      {"overlap", bands("number", "{ max = 7, value = 0 }", "{ over = 6.5, value = 1 }"),
       "test.toml:35:3: [bands.wait]: bands up to 7 and over 6.5 overlap"},
  });
}

TEST_CASE("number bands that meet load", "[rules]") {
  const std::vector<Edit> cases[] = {
      bands("number", "{ max = 6.5, value = 0 }", "{ over = 6.5, value = 1 }"),
      bands("number", "{ under = 6.5, value = 0 }", "{ min = 6.5, value = 1 }"),
  };
  for (const auto& edits : cases) {
    CAPTURE(edits[1].to, edits[2].to);
    REQUIRE_NOTHROW(load(edited(edits)));
  }
}

TEST_CASE("a band's own bounds and result are checked", "[rules]") {
  check_errors({
      {"min and over",
       bands("integer", "{ max = 6, value = 0 }", "{ min = 7, over = 6, value = 1 }"),
       "test.toml:35:3: a band has both 'min' and 'over'; give one"},
      {"max and under",
       bands("integer", "{ max = 6, under = 7, value = 0 }", "{ min = 7, value = 1 }"),
       "test.toml:34:3: a band has both 'max' and 'under'; give one"},
      {"value and label",
       bands("integer", "{ max = 6, value = 0 }", "{ min = 7, value = 1, label = \"x\" }"),
       "test.toml:35:3: a band must give exactly one of 'value' or 'label'"},
      {"neither value nor label", bands("integer", "{ max = 6, value = 0 }", "{ min = 7 }"),
       "test.toml:35:3: a band must give exactly one of 'value' or 'label'"},
      {"empty: min above max",
       bands("integer", "{ max = 6, value = 0 }", "{ min = 7, max = 5, value = 1 }"),
       "test.toml:35:3: band 7-5 is empty: its lower bound is above its upper bound"},
      {"empty: over and under the same number",
       bands("number", "{ max = 7, value = 0 }", "{ over = 7, under = 7, value = 1 }"),
       "test.toml:35:3: band over 7 under 7 is empty: its lower bound is above its upper bound"},
      {"a fraction in an integer band",
       bands("integer", "{ max = 6, value = 0 }", "{ min = 6.5, value = 1 }"),
       "test.toml:35:3: band bound 6.5 is not a whole number, but the band set's type is "
       "'integer'"},
      {"unknown band type", bands("decimal", "{ max = 6, value = 0 }", "{ min = 7, value = 1 }"),
       "test.toml:32:8: [bands.wait]: unknown band type 'decimal'; expected 'integer' or "
       "'number'"},
      {"no bands",
       {{"  { max = 6, value = 0 },\n  { min = 7, value = 1 },\n", ""}},
       "test.toml:31:1: [bands.wait] has no bands"},
  });
}

TEST_CASE("an integer band between two whole numbers is empty", "[rules]") {
  // over 6 under 7 holds no whole number: bounds are normalised before comparing.
  check_errors({
      {"over 6 under 7",
       {{"  { min = 7, value = 1 },",
         "  { over = 6, under = 7, value = 2 },\n  { min = 7, value = 1 },"}},
       "test.toml:35:3: band 7-6 is empty: its lower bound is above its upper bound"},
  });
}

// ---------------------------------------------------------------- tables

TEST_CASE("a table's entries are checked", "[rules]") {
  check_errors({
      {"numbers and labels mixed",
       {{"B = 2", "B = \"high\""}, {"(source_points + wait_points)", "wait_points"}},
       "test.toml:27:1: [tables.source_score] mixes numbers and labels; a table gives one or the "
       "other"},
      {"a label default for numbers",
       {{"title = \"Source points\"", "default = \"other\""}},
       "test.toml:25:11: [tables.source_score]: 'default' must be a number, like the entries"},
  });
}

// ---------------------------------------------------------------- errors to be located at the key
// at fault

namespace {

// An error whose message is right but whose location is the table's header rather
// than the key at fault; `location` is where it should point.
struct LocatedCase {
  std::string what;
  std::vector<Edit> edits;
  std::string location;
  std::string message;
};

const std::vector<LocatedCase> k_located_cases = {
    {"a table that is not defined",
     {{"table = \"source_score\"", "table = \"source_scor\""}},
     "47:9",
     "step 'source_points' refers to table 'source_scor', which is not defined (did you mean "
     "'source_score'?)"},
    {"a band set that is not defined",
     {{"bands = \"wait\"", "bands = \"wiat\""}},
     "53:9",
     "step 'wait_points' refers to band set 'wiat', which is not defined (did you mean 'wait'?)"},
    {"a step input that is not defined",
     {{"input = \"days\"", "input = \"dyas\""}},
     "52:9",
     "step 'wait_points': unknown variable 'dyas' (did you mean 'days'?) (a step reads an input "
     "or an earlier step)"},
    {"days_since on a category",
     {{"input = \"referral_date\"", "input = \"source\""}},
     "41:9",
     "step 'days': 'days_since' needs a date input, and 'source' is not a date"},
    {"a step named like an input",
     {{"", "\n[[steps]]\nname = \"note\"\nkind = \"formula\"\nexpression = \"1\"\n"}},
     "69:8",
     "step 'note' has the name of an input, constant or earlier step"},
    {"an output of an unknown variable",
     {{"value = \"score\"", "value = \"scroe\""}},
     "62:9",
     "output 'Score' writes unknown variable 'scroe' (did you mean 'score'?)"},
    {"an output column listed twice",
     {{"", "\n[[outputs]]\ncolumn = \"Score\"\nvalue = \"days\"\n"}},
     "69:10",
     "output column 'Score' is listed twice"},
    {"a duplicate category",
     {{"B = 2", "B = 2\n\" a\" = 3"}},
     "30:1",
     "duplicate category ' a' in [tables.source_score] (the same as 'A' on line 28; categories "
     "match ignoring case and spaces)"},
};

}  // namespace

TEST_CASE("step, output and category errors have the right message", "[rules]") {
  for (const auto& c : k_located_cases) {
    CAPTURE(c.what);
    const RuleError error = rule_error(edited(c.edits));
    REQUIRE(error.diagnostics().size() == 1);
    CHECK(error.message() == c.message);
  }
}

TEST_CASE("step, output and category errors point at the key at fault", "[rules]") {
  // Not at the [[steps]] / [[outputs]] header, nor at a category's value.
  for (const auto& c : k_located_cases) {
    DYNAMIC_SECTION(c.what) {
      const std::string text = edited(c.edits);
      REQUIRE_THROWS_WITH(load(text), "test.toml:" + c.location + ": " + c.message);
    }
  }
}

// ---------------------------------------------------------------- steps

TEST_CASE("a step's keys must suit its kind", "[rules]") {
  check_errors({
      {"table on a formula",
       {{"expression = \"weight", "table = \"source_score\"\nexpression = \"weight"}},
       "test.toml:58:9: step 'score': 'table' does not apply to a 'formula' step"},
      {"expression on a lookup",
       {{"table = \"source_score\"", "table = \"source_score\"\nexpression = \"1\""}},
       "test.toml:48:14: step 'source_points': 'expression' does not apply to a 'lookup' step"},
      {"bands on a lookup",
       {{"table = \"source_score\"", "table = \"source_score\"\nbands = \"wait\""}},
       "test.toml:48:9: step 'source_points': 'bands' does not apply to a 'lookup' step"},
      {"input on a formula",
       {{"kind = \"formula\"", "kind = \"formula\"\ninput = \"days\""}},
       "test.toml:58:9: step 'score': 'input' does not apply to a 'formula' step"},
  });
}

TEST_CASE("a step reads only an input or an earlier step", "[rules]") {
  const RuleError error = rule_error(edited({{"input = \"days\"", "input = \"score\""}}));
  REQUIRE(error.diagnostics().size() == 1);
  CHECK(error.message() ==
        "step 'wait_points': unknown variable 'score' (a step reads an input or an earlier step)");
}

// ---------------------------------------------------------------- ranking

TEST_CASE("the ranking order and score must name numeric variables", "[rules]") {
  check_errors({
      {"bad direction",
       {{"\"score desc\"", "\"score down\""}},
       "test.toml:66:10: each [ranking] order entry is \"variable asc\" or \"variable desc\""},
      {"no direction",
       {{"\"score desc\"", "\"score\""}},
       "test.toml:66:10: each [ranking] order entry is \"variable asc\" or \"variable desc\""},
      {"unknown variable in the order",
       {{"\"score desc\"", "\"scor desc\""}},
       "test.toml:66:10: [ranking] order uses unknown variable 'scor' (did you mean 'score'?)"},
      {"unknown score",
       {{"score = \"score\"", "score = \"scor\""}},
       "test.toml:65:9: [ranking] score 'scor' must be a numeric variable (did you mean "
       "'score'?)"},
  });
}

TEST_CASE("a text ranking score is not offered as its own correction", "[rules]") {
  // Not "... must be a numeric variable (did you mean 'note'?)".
  check_errors({
      {"text score",
       {{"score = \"score\"", "score = \"note\""}},
       "test.toml:65:9: [ranking] score 'note' must be a numeric variable, and 'note' is text"},
  });
}

// ---------------------------------------------------------------- several errors

TEST_CASE("several errors are reported together, in line order", "[rules]") {
  // Found in the order 3, 35, 66 (first pass) then 58 (formulas), listed by line.
  const std::string text = edited({{"version = \"1\"", "version = 1"},
                                   {"{ min = 7, value = 1 }", "{ min = 8, value = 1 }"},
                                   {"wait_points)\"", "wait_pionts)\""},
                                   {"\"score desc\"", "\"score down\""}});
  const RuleError error = rule_error(text);
  REQUIRE(error.diagnostics().size() == 4);
  CHECK(error.location().to_string() == "test.toml:3:11");
  REQUIRE_THROWS_WITH(
      load(text),
      "test.toml:3:11: key 'version' in [rule_set] must be a string\n"
      "test.toml:35:3: [bands.wait]: bands up to 6 and 8+ leave a gap between them\n"
      "test.toml:58:41: step 'score': formula uses unknown variable 'wait_pionts' (did you mean "
      "'wait_points'?)\n"
      "test.toml:66:10: each [ranking] order entry is \"variable asc\" or \"variable desc\"");
  const std::size_t lines[] = {3, 35, 58, 66};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(error.diagnostics()[i].location.line == lines[i]);
  }
}

TEST_CASE("one mistake gives one error, not errors about what depends on it", "[rules]") {
  // A table, input or step that fails its own checks is still defined, so nothing that
  // refers to it is reported as well.
  check_errors({
      {"a misspelt key in the id input",
       {{"column = \"ID\"", "colum = \"ID\""}},
       "test.toml:5:1: [inputs.id] is missing the required key 'column'\n"
       "test.toml:6:1: unknown key 'colum' in [inputs.id] (did you mean 'column'?)"},
      {"a misspelt key in a step",
       {{"name = \"score\"", "name = \"score\"\ntitel = \"Score\""}},
       "test.toml:57:1: unknown key 'titel' in step 'score' (did you mean 'title'?)"},
      {"an unknown step kind",
       {{"kind = \"formula\"", "kind = \"formla\""}},
       "test.toml:57:8: step 'score': unknown kind 'formla'; expected one of: days_since, lookup, "
       "band, formula"},
      {"a lookup without its table",
       {{"table = \"source_score\"\n", ""}},
       "test.toml:43:1: step 'source_points': a 'lookup' step needs 'table'"},
      {"a constant that is not a number",
       {{"weight = 2", "weight = \"2\""}},
       "test.toml:22:10: constant 'weight' must be a number"},
      {"a table mixing numbers and labels",
       {{"B = 2", "B = \"high\""}},
       "test.toml:27:1: [tables.source_score] mixes numbers and labels; a table gives one or the "
       "other"},
  });
}

TEST_CASE("checks are validated like steps", "[rules]") {
  const std::string base(engine::default_rules_text());
  const auto line_after = std::to_string(std::count(base.begin(), base.end(), '\n') + 4);
  SECTION("an unknown variable in a check's expression") {
    const std::string text = base +
                             "\n[[checks]]\nname = \"x\"\nexpression = \"visits_a_dya > 0\""
                             "\nmessage = \"m\"\n";
    REQUIRE_THROWS_WITH(load(text), "test.toml:" + line_after +
                                        ":15: check 'x': formula uses unknown variable "
                                        "'visits_a_dya' (did you mean 'visits_a_day'?)");
  }
  SECTION("a severity other than reject or warning") {
    const std::string text = base +
                             "\n[[checks]]\nname = \"x\"\nexpression = \"1\"\nmessage = "
                             "\"m\"\nseverity = \"fatal\"\n";
    const auto severity_line = std::to_string(std::stoi(line_after) + 2);
    REQUIRE_THROWS_WITH(load(text), "test.toml:" + severity_line +
                                        ":12: check 'x': severity is 'reject' or 'warning', not "
                                        "'fatal'");
  }
}
