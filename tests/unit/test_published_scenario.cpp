// The default rule set against the published table: sample-data/referrals.csv
// scored as of 16/12/2019 must give every value of shared/spec/seed-expected.csv.
// Then the engine against the plain reference scorer (tests/support) on many
// generated referrals, which checks the rule file as much as the C++.
#include <engine/date.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>
#include <engine/scorer.hpp>
#include <tests/support/csv_table.hpp>
#include <tests/support/reference_scorer.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <sstream>

namespace {

const std::string k_source_dir = REABLEMENT_SOURCE_DIR;
const std::string k_spec_dir = REABLEMENT_SPEC_DIR;

std::string score_text(const std::string& csv, engine::Date as_of) {
  engine::ScoreRequest request;
  request.rules = &engine::default_rules();
  request.as_of = as_of;
  std::istringstream in(csv);
  std::ostringstream out;
  const auto report = engine::score_referrals(request, in, out, nullptr);
  REQUIRE(report.rejected == 0);
  return out.str();
}

}  // namespace

TEST_CASE("published scenario: the sample data is the published scenario", "[published]") {
  REQUIRE(tests::slurp(k_source_dir + "/sample-data/referrals.csv") ==
          tests::slurp(k_spec_dir + "/seed-scenario.csv"));
}

TEST_CASE("published scenario: every appended value equals the published table", "[published]") {
  const auto as_of = *engine::make_date(2019, 12, 16);
  const auto scored = tests::parse_csv_table(
      score_text(tests::slurp(k_source_dir + "/sample-data/referrals.csv"), as_of));
  const auto expected = tests::parse_csv_table(tests::slurp(k_spec_dir + "/seed-expected.csv"));
  const auto input = tests::parse_csv_table(tests::slurp(k_spec_dir + "/seed-scenario.csv"));

  REQUIRE(expected.rows.size() == 33);
  REQUIRE(scored.rows.size() == expected.rows.size());
  // Output columns: every input column in order, then exactly the published score columns.
  std::vector<std::string> header = input.header;
  header.insert(header.end(), expected.header.begin() + 1, expected.header.end());
  REQUIRE(scored.header == header);

  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    const auto& want = expected.rows[i];
    const auto& got = scored.rows[i];
    CAPTURE(want.at("Referral ID"));
    REQUIRE(got.at("Referral ID") == want.at("Referral ID"));  // input order kept
    for (const auto& column : expected.header) {
      CAPTURE(column);
      CHECK(got.at(column) == want.at(column));
    }
    for (const auto& column : input.header) {
      CAPTURE(column);
      CHECK(got.at(column) == input.rows[i].at(column));  // input echoed unchanged
    }
  }
}

TEST_CASE("published scenario: the engine agrees with the plain reference scorer",
          "[published][reference]") {
  const std::vector<std::string> sources{"SPA", "ICB", "URTS", "Acute Hospitals",
                                         "FIT", "EAU", "HUB",  "Community Hospitals"};
  const std::vector<std::string> mobilities{"Independent with mobility", "Mobile with 1 staff",
                                            "Mobile with 2 staff", "Immobile/Hoist"};
  const tests::CivilDate as_of{2020, 3, 1};  // just after a leap day
  std::mt19937 random(20191216);
  std::ostringstream csv;
  csv << "Referral ID,Referral Source,Mobility,Referral/Discharge Notice Date,"
         "Hours of Care (Daily),Hours of Care (Weekly),Team,Level of Support,Package,Double "
         "Handed,HDRS or CRS\n";
  struct Generated {
    std::string source;
    std::string mobility;
    tests::CivilDate date;
  };
  std::vector<Generated> generated;
  for (int i = 0; i < 2000; ++i) {
    // Every day from 0 to 60 days back, UK and ISO date forms.
    const long back = static_cast<long>(random() % 61);
    const auto date = tests::civil_from_days(tests::days_from_civil(as_of) - back);
    Generated g{sources[random() % sources.size()], mobilities[random() % mobilities.size()], date};
    char text[16];
    std::snprintf(text, sizeof text, i % 2 ? "%02d/%02d/%04d" : "%04d-%02d-%02d",
                  i % 2 ? date.day : date.year, date.month, i % 2 ? date.year : date.day);
    csv << "G" << i << "," << g.source << "," << g.mobility << "," << text
        << ",1,7,West,AM,OD,No,HDRS\n";
    generated.push_back(g);
  }
  const auto scored = tests::parse_csv_table(score_text(csv.str(), *engine::make_date(2020, 3, 1)));
  REQUIRE(scored.rows.size() == generated.size());
  for (std::size_t i = 0; i < generated.size(); ++i) {
    const auto want = tests::reference_score(generated[i].source, generated[i].mobility,
                                             generated[i].date, as_of);
    REQUIRE(want);
    const auto& got = scored.rows[i];
    CAPTURE(i, generated[i].source, generated[i].mobility, want->days_waiting);
    REQUIRE(got.at("Days Waiting") == std::to_string(want->days_waiting));
    REQUIRE(got.at("SDEC Weighting") == std::to_string(want->sdec_weighting));
    REQUIRE(got.at("SDEC LOS Bonus") == std::to_string(want->sdec_los_bonus));
    REQUIRE(got.at("LOS Score") == std::to_string(want->los_score));
    REQUIRE(got.at("LOS Total") == std::to_string(want->los_total));
    REQUIRE(got.at("LOS") == std::to_string(want->los));
    REQUIRE(got.at("Mobility Score") == std::to_string(want->mobility_score));
    REQUIRE(got.at("Prioritisation Score") == std::to_string(want->prioritisation_score));
    REQUIRE(got.at("LOW Range") == want->low_range);
  }
}
