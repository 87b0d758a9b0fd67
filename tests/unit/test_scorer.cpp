// engine::Scorer on single rows: values by variable, explanations (the trace),
// table defaults and binding to a header.
#include <engine/errors.hpp>
#include <engine/rule_set.hpp>
#include <engine/scorer.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>

namespace {

// The columns the score reads, then the published schema's package columns.
const std::vector<std::string> k_header{"Referral ID",
                                        "Referral Source",
                                        "Mobility",
                                        "Referral/Discharge Notice Date",
                                        "Hours of Care (Daily)",
                                        "Hours of Care (Weekly)",
                                        "Team",
                                        "Level of Support",
                                        "Package",
                                        "Double Handed",
                                        "HDRS or CRS"};

// A row: the five scored fields given, then one package (7 h a week, South, AM, OD).
std::vector<std::string_view> row(std::vector<std::string_view> scored) {
  for (const std::string_view field : {"7", "South", "AM", "OD", "No", "CRS"}) {
    scored.push_back(field);
  }
  return scored;
}

engine::Date as_of() {
  return *engine::make_date(2019, 12, 16);
}

// The default rule file with `extra` TOML after it, loaded as `name`.
engine::RuleSet default_rules_and(const std::string& extra, const std::string& name) {
  return engine::load_rules(
      tests::slurp(std::string(REABLEMENT_SOURCE_DIR) + "/rules/joint-protocol-2019.toml") + extra,
      name);
}

}  // namespace

TEST_CASE("Scorer: a table-driven check of the published rules", "[scorer]") {
  struct Case {
    std::string source;
    std::string mobility;
    std::string date;
    std::string hours;
    double days, los, bonus, score;
    std::string low_range, care_type;
  };
  // Each expected value worked out by hand from protocol.md.
  const std::vector<Case> cases{
      // 0 days: LOS 0; SPA is not SDEC: 3 * (0 + 0) = 0
      {"SPA", "Independent with mobility", "16/12/2019", "0.5", 0, 0, 0, 0, "Waiting 0-7 days",
       "Simple"},
      // 1 day: LOS 1; FIT is SDEC: 5 * (max(1, 3) + 3) = 30
      {"FIT", "Immobile/Hoist", "15/12/2019", "0.75", 1, 1, 3, 30, "Waiting 0-7 days", "Moderate"},
      // 7 and 8 days sit either side of a LOW range edge; 14/15 either side of a LOS edge
      {"ICB", "Mobile with 2 staff", "09/12/2019", "1", 7, 1, 0, 9, "Waiting 0-7 days", "Moderate"},
      {"ICB", "Mobile with 2 staff", "08/12/2019", "1.5", 8, 1, 0, 9, "Waiting 8-14 days", "High"},
      {"HUB", "Mobile with 1 staff", "02/12/2019", "1.75", 14, 1, 0, 6, "Waiting 8-14 days",
       "Complex"},
      // 15 days: LOS 3; 3 * (3 + 1) = 12
      {"HUB", "Mobile with 1 staff", "01/12/2019", "2", 15, 3, 0, 12, "Waiting 15-21 days",
       "Complex"},
      // 21 / 22 days: LOS 3 / 4
      {"EAU", "Independent with mobility", "25/11/2019", "0", 21, 3, 3, 15, "Waiting 15-21 days",
       "Simple"},
      {"SPA", "Immobile/Hoist", "24/11/2019", "6", 22, 4, 0, 21, "Waiting 22-28 days", "Complex"},
      // 28 / 29 days: LOW range edge; URTS: 5 * (max(4, 3) + 0) = 20
      {"URTS", "Independent with mobility", "18/11/2019", "1", 28, 4, 3, 20, "Waiting 22-28 days",
       "Moderate"},
      {"URTS", "Independent with mobility", "17/11/2019", "1", 29, 4, 3, 20, "Waiting 29 days +",
       "Moderate"},
  };
  engine::Scorer scorer(engine::default_rules(), k_header, "test.csv", as_of());
  for (const auto& c : cases) {
    CAPTURE(c.source, c.mobility, c.date, c.hours);
    const auto fields = row({"X", c.source, c.mobility, c.date, c.hours});
    engine::RowProblem problem;
    REQUIRE(scorer.evaluate(fields, problem));
    CHECK(scorer.number_at(scorer.slot("days_waiting")) == c.days);
    CHECK(scorer.number_at(scorer.slot("los")) == c.los);
    CHECK(scorer.number_at(scorer.slot("sdec_los_bonus")) == c.bonus);
    CHECK(scorer.number_at(scorer.slot("prioritisation_score")) == c.score);
    CHECK(scorer.text_at(scorer.slot("low_range")) == c.low_range);
    CHECK(scorer.text_at(scorer.slot("care_type")) == c.care_type);
  }
}

TEST_CASE("Scorer: the trace records what each step read, matched and produced", "[scorer]") {
  engine::Scorer scorer(engine::default_rules(), k_header, "test.csv", as_of());
  const auto fields = row({"S003", "URTS", "Mobile with 1 staff", "02/12/2019", "0.5"});
  engine::RowProblem problem;
  std::vector<engine::StepTrace> trace;
  REQUIRE(scorer.evaluate(fields, problem, &trace));
  REQUIRE(trace.size() == engine::default_rules().steps.size());
  const auto step = [&](const std::string& name) {
    for (const auto& t : trace) {
      if (t.step->name == name) {
        return t;
      }
    }
    FAIL("no trace for " << name);
    return engine::StepTrace{};
  };
  CHECK(step("days_waiting").read == "02/12/2019");
  CHECK(step("days_waiting").matched == "as of 2019-12-16");
  CHECK(step("days_waiting").result == "14");
  CHECK(step("sdec").matched == "table 'sdec_sources' entry 'URTS'");
  CHECK(step("sdec").result == "1");
  CHECK(step("los").read == "14");
  CHECK(step("los").matched == "band 1-14 of 'wait_band'");
  CHECK(step("los").result == "1");
  CHECK(step("los_score").matched == "max(los, sdec_los_bonus)");
  CHECK(step("los_score").result == "3");
  CHECK(step("prioritisation_score").result == "20");
  CHECK(step("low_range").result == "Waiting 8-14 days");
  CHECK(step("care_type").matched == "band from 0 up to 0.5 of 'care_type'");
}

TEST_CASE("Scorer: a source not in the SDEC table takes the table's default", "[scorer]") {
  engine::Scorer scorer(engine::default_rules(), k_header, "test.csv", as_of());
  const auto fields = row({"Z", "Somewhere new", "Immobile/Hoist", "2019-12-01", "1"});
  engine::RowProblem problem;
  std::vector<engine::StepTrace> trace;
  REQUIRE(scorer.evaluate(fields, problem, &trace));
  CHECK(trace[1].matched == "table 'sdec_sources' default (not listed)");
  CHECK(scorer.number_at(scorer.slot("sdec_weighting")) == 3);
  CHECK(scorer.id() == "Z");
}

TEST_CASE("Scorer: binding names every missing column at once", "[scorer]") {
  const std::vector<std::string> header{"Referral ID", "Source", "Mobility"};
  REQUIRE_THROWS_WITH(
      engine::Scorer(engine::default_rules(), header, "in.csv", as_of()),
      "in.csv:1: required columns 'Referral Source', 'Referral/Discharge Notice Date', 'Hours "
      "of Care (Daily)', 'Hours of Care (Weekly)', 'Team', 'Level of Support', 'Package', "
      "'Double Handed', 'HDRS or CRS' are missing from the header (rule set " +
          engine::default_rules().identity() + ")");
}

TEST_CASE("Scorer: a header that differs only in case or spaces still binds", "[scorer]") {
  const std::vector<std::string> header{" referral id",
                                        "REFERRAL SOURCE",
                                        "mobility",
                                        "Referral/Discharge Notice Date ",
                                        "hours of care (daily)",
                                        "HOURS OF CARE (WEEKLY)",
                                        "team",
                                        "level of support",
                                        "package",
                                        "double handed",
                                        "hdrs or crs"};
  engine::Scorer scorer(engine::default_rules(), header, "in.csv", as_of());
  const auto fields = row({"Q", "SPA", "Immobile/Hoist", "2019-12-01", "1"});
  engine::RowProblem problem;
  REQUIRE(scorer.evaluate(fields, problem));
  CHECK(scorer.number_at(scorer.slot("prioritisation_score")) == 18);  // 15 days: 3 * (3 + 3)
}

TEST_CASE("Scorer: values spelled many ways, row after row, score as their categories",
          "[scorer]") {
  // The scorer remembers spellings it has seen (up to a limit): the same
  // answers must come whether a spelling is new, remembered or past the limit.
  engine::Scorer scorer(engine::default_rules(), k_header, "test.csv", as_of());
  const std::size_t weighting = scorer.slot("sdec_weighting");
  const std::size_t mobility = scorer.slot("mobility_score");
  const std::size_t slots = scorer.slot("visit_slots");
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 100; ++i) {
      CAPTURE(round, i);
      // URTS is SDEC (weighting 5), in any case and spacing; a made-up source is not (3).
      const std::string urts = i % 3 == 0 ? "urts" : i % 3 == 1 ? " URTS" : "Urts";
      const std::string other = "Nowhere " + std::to_string(i);
      const std::string mobile = i % 2 == 0 ? "mobile with 2 STAFF" : "Mobile with 2 staff";
      // AM and PM with i spaces between: 100 spellings of the same two slots.
      const std::string am_pm = "am," + std::string(static_cast<std::size_t>(i), ' ') + "PM";
      std::vector<std::string_view> fields{"R1",    i % 2 == 0 ? std::string_view(urts) : other,
                                           mobile,  "2019-12-01",
                                           "1",     "14",
                                           "South", am_pm,
                                           "BD",    "No",
                                           "CRS"};
      engine::RowProblem problem;
      REQUIRE(scorer.evaluate(fields, problem));
      CHECK(scorer.number_at(weighting) == (i % 2 == 0 ? 5 : 3));
      CHECK(scorer.number_at(mobility) == 2);
      CHECK(scorer.number_at(slots) == 2);
      CHECK(scorer.text_at(slots) == "AM, PM");
      // A list naming a slot twice is refused every time, never remembered.
      fields[7] = "AM, am";
      fields[8] = "OD";
      CHECK_FALSE(scorer.evaluate(fields, problem));
      CHECK(problem.reason == "lists the visit slot 'AM' twice");
    }
  }
}

TEST_CASE("Scorer: a lookup that meets more spellings than it remembers still finds each",
          "[scorer]") {
  // A lookup remembers a spelling in one of two places picked from its bytes;
  // thousands of spellings of 600 categories, each with its own number, make
  // them give way to one another, and a spelling met again after it gave way
  // must find its own category, not one of the same length.
  std::string toml =
      "\n[tables.source_number]\ntitle = \"A number for every source\"\n"
      "[tables.source_number.entries]\n";
  for (int i = 0; i < 600; ++i) {
    toml += "\"Source " + std::to_string(i) + "\" = " + std::to_string(i) + "\n";
  }
  toml +=
      "\n[[steps]]\nname = \"source_number\"\ntitle = \"Source number\"\nkind = \"lookup\"\n"
      "input = \"source\"\ntable = \"source_number\"\n";
  const engine::RuleSet rules = default_rules_and(toml, "many.toml");
  engine::Scorer scorer(rules, k_header, "test.csv", as_of());
  const std::size_t number = scorer.slot("source_number");
  const std::size_t weighting = scorer.slot("sdec_weighting");
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 3000; ++i) {
      CAPTURE(round, i);
      const int category = (i * 7) % 600;
      const std::string digits = std::to_string(category);
      const std::string source = i % 3 == 0   ? "Source " + digits
                                 : i % 3 == 1 ? "SOURCE " + digits + " "
                                              : " source " + digits;
      const std::vector<std::string_view> fields{
          "R1", source, "Immobile/Hoist", "2019-12-01", "1", "7", "South", "AM", "OD", "No", "CRS"};
      engine::RowProblem problem;
      REQUIRE(scorer.evaluate(fields, problem));
      CHECK(scorer.number_at(number) == category);
      CHECK(scorer.number_at(weighting) == 3);  // none is SDEC
    }
    // A source not in the table (which has no default) is refused, each time.
    for (int i = 0; i < 300; ++i) {
      const std::string source = "Source " + std::to_string(600 + i);
      const std::vector<std::string_view> fields{
          "R1", source, "Immobile/Hoist", "2019-12-01", "1", "7", "South", "AM", "OD", "No", "CRS"};
      engine::RowProblem problem;
      CHECK_FALSE(scorer.evaluate(fields, problem));
      CHECK(problem.column == "Referral Source");
    }
  }
}

TEST_CASE("Scorer: formulas over lookups and bands give the same as worked out row by row",
          "[scorer]") {
  // A formula whose variables each take few values is worked out once for
  // every combination (Formula::tabulate); one that divides by a lookup's
  // number, zero for some rows, must still refuse those rows, and one over a
  // number input (hours) is not tabulated.
  const std::string toml =
      "\n[[steps]]\nname = \"per_visit\"\ntitle = \"Score per carer\"\nkind = \"formula\"\n"
      "expression = \"prioritisation_score / (mobility_score - 1) + visit_slots\"\n"
      "\n[[steps]]\nname = \"per_hour\"\ntitle = \"Score per hour\"\nkind = \"formula\"\n"
      "expression = \"prioritisation_score * daily_hours\"\n";
  const engine::RuleSet rules = default_rules_and(toml, "divide.toml");
  engine::Scorer scorer(rules, k_header, "test.csv", as_of());
  struct Case {
    std::string source, mobility, date, hours, slots;
    double score;  // by hand from protocol.md
  };
  const std::vector<Case> cases{
      {"FIT", "Immobile/Hoist", "15/12/2019", "0.5", "AM", 30},             // 5 * (3 + 3)
      {"SPA", "Mobile with 2 staff", "01/11/2019", "2", "AM, PM", 18},      // 3 * (4 + 2)
      {"ICB", "Independent with mobility", "09/12/2019", "1", "AM", 3},     // 3 * (1 + 0)
      {"urts", "Mobile with 2 staff", "16/12/2019", "1.5", "AM, Tea", 25},  // 5 * (3 + 2)
  };
  for (int round = 0; round < 2; ++round) {
    for (const auto& c : cases) {
      CAPTURE(round, c.source, c.mobility);
      const std::string package = c.slots == "AM" ? "OD" : "BD";
      const std::vector<std::string_view> fields{
          "R1", c.source, c.mobility, c.date, c.hours, "7", "South", c.slots, package, "No", "CRS"};
      engine::RowProblem problem;
      REQUIRE(scorer.evaluate(fields, problem));
      const double mobility = scorer.number_at(scorer.slot("mobility_score"));
      const double slots = c.slots == "AM" ? 1 : 2;
      CHECK(scorer.number_at(scorer.slot("prioritisation_score")) == c.score);
      CHECK(scorer.number_at(scorer.slot("per_visit")) == c.score / (mobility - 1) + slots);
      CHECK(scorer.number_at(scorer.slot("per_hour")) == c.score * std::stod(c.hours));
    }
    // "Mobile with 1 staff" scores 1: the division is by zero, and the row is refused.
    const std::vector<std::string_view> fields{
        "R2", "SPA", "Mobile with 1 staff", "01/12/2019", "1", "7", "South", "AM", "OD",
        "No", "CRS"};
    engine::RowProblem problem;
    CHECK_FALSE(scorer.evaluate(fields, problem));
    CHECK(problem.reason.find("step 'per_visit' gave no finite number") != std::string::npos);
  }
}
