// engine::summarise_waiting_list and its renderers: every figure on the published
// scenario against values this file computes itself from the published tables
// (shared/spec/seed-scenario.csv and seed-expected.csv), never through the
// engine; then small hand-made lists for the edges (percentiles, double-handed
// visits, an empty list, the team filter, rows that cannot be scored).
#include <engine/capacity.hpp>
#include <engine/pick_up.hpp>
#include <engine/provenance.hpp>
#include <engine/ranking.hpp>
#include <engine/rule_set.hpp>
#include <engine/summary.hpp>
#include <engine/summary_report.hpp>
#include <engine/text.hpp>
#include <engine/waiting_list.hpp>
#include <tests/support/csv_table.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

namespace {

const std::string k_source_dir = REABLEMENT_SOURCE_DIR;
const std::string k_spec_dir = REABLEMENT_SPEC_DIR;

// The protocol's own words (shared/spec/protocol.md), written out here so the
// test does not read them back from the rule file it is checking.
const std::vector<std::string> k_wait_ranges{"Waiting 0-7 days", "Waiting 8-14 days",
                                             "Waiting 15-21 days", "Waiting 22-28 days",
                                             "Waiting 29 days +"};
const std::vector<std::string> k_care_types{"Simple", "Moderate", "High", "Complex"};
const std::vector<std::string> k_packages{"OD", "BD", "TDS", "QDS"};
const std::vector<std::string> k_contracts{"HDRS", "CRS"};
const std::vector<std::string> k_slots{"AM", "Lunch", "Tea", "PM"};
const std::set<std::string> k_bed_sources{"ICB", "Acute Hospitals", "Community Hospitals"};
const std::vector<std::string> k_four_teams{"North", "South", "City", "West"};

// One published referral: its input columns and its published scores.
struct SeedRow {
  std::string id;
  std::string team;
  std::string source;
  std::vector<std::string> slots;
  std::string package;
  bool double_handed = false;
  double weekly_hours = 0;
  std::string care_type;
  std::string contract;
  double days = 0;
  double score = 0;
  std::string wait_range;
};

std::vector<std::string> split_slots(const std::string& text) {
  std::vector<std::string> slots;
  std::string slot;
  std::istringstream in(text);
  while (std::getline(in, slot, ',')) {
    slot.erase(0, slot.find_first_not_of(' '));
    slots.push_back(slot);
  }
  return slots;
}

std::vector<SeedRow> seed_rows() {
  const auto input = tests::parse_csv_table(tests::slurp(k_spec_dir + "/seed-scenario.csv"));
  const auto expected = tests::parse_csv_table(tests::slurp(k_spec_dir + "/seed-expected.csv"));
  std::vector<SeedRow> rows;
  for (const auto& in : input.rows) {
    const auto& out = expected.row_with("Referral ID", in.at("Referral ID"));
    rows.push_back({in.at("Referral ID"), in.at("Team"), in.at("Referral Source"),
                    split_slots(in.at("Level of Support")), in.at("Package"),
                    in.at("Double Handed") == "Yes", std::stod(in.at("Hours of Care (Weekly)")),
                    in.at("Care Type"), in.at("HDRS or CRS"), std::stod(out.at("Days Waiting")),
                    std::stod(out.at("Prioritisation Score")), out.at("LOW Range")});
  }
  REQUIRE(rows.size() == 33);
  return rows;
}

// The sample file with its data lines' teams set round-robin from k_four_teams
// (every published row is South, which leaves a team grid of one column).
std::string four_team_csv(std::vector<SeedRow>& rows) {
  std::istringstream in(tests::slurp(k_source_dir + "/sample-data/referrals.csv"));
  std::string line;
  std::string csv;
  std::getline(in, line);
  csv += line + "\n";
  for (std::size_t i = 0; std::getline(in, line); ++i) {
    const std::string team = k_four_teams[i % k_four_teams.size()];
    line.replace(line.find(",South,"), 7, "," + team + ",");
    rows[i].team = team;
    csv += line + "\n";
  }
  return csv;
}

double reference_median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// By the definition: the first value, in ascending order, with at least 90% of
// the values at or below it.
double reference_p90(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if ((i + 1) * 10 >= values.size() * 9) {
      return values[i];
    }
  }
  return -1;
}

std::string lower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

struct Read {
  engine::WaitingList list;
  std::vector<std::size_t> order;
};

Read read(const std::string& csv, const std::string& team = "") {
  engine::WaitingListRequest request;
  request.rules = &engine::default_rules();
  request.as_of = *engine::make_date(2019, 12, 16);
  request.input_name = "sample-data/referrals.csv";
  request.team = team;
  std::istringstream in(csv);
  Read result{engine::read_waiting_list(request, in), {}};
  result.order = engine::rank_order(engine::default_rules(), result.list.referrals);
  return result;
}

engine::Summary summarise(const Read& read, const engine::CapacityPlan* capacity = nullptr,
                          std::optional<double> pickups = std::nullopt,
                          const std::string& team = "") {
  engine::SummaryRequest request;
  request.rules = &engine::default_rules();
  request.list = &read.list;
  request.order = &read.order;
  request.capacity = capacity;
  request.pickups_per_week = pickups;
  request.team = team;
  return engine::summarise_waiting_list(request);
}

engine::CapacityPlan capacity_plan(
    const std::vector<std::pair<std::string, std::vector<int>>>& teams) {
  engine::CapacityPlan plan;
  plan.source_name = "capacity.toml";
  plan.hash = std::string(64, 'c');
  for (const auto& [team, visits] : teams) {
    plan.teams.push_back({team, visits, std::nullopt});
  }
  return plan;
}

// Who the fill policy picks up, worked out plainly: in published rank order
// (score, then longer wait, then id), take each referral whose team still has
// a visit (two when double handed) free in every one of its slots.
std::size_t reference_pick_ups(std::vector<SeedRow> rows,
                               std::map<std::string, std::map<std::string, int>> free) {
  std::stable_sort(rows.begin(), rows.end(), [](const SeedRow& a, const SeedRow& b) {
    if (a.score != b.score) {
      return a.score > b.score;
    }
    if (a.days != b.days) {
      return a.days > b.days;
    }
    return a.id < b.id;
  });
  std::size_t picked = 0;
  for (const auto& row : rows) {
    const int carers = row.double_handed ? 2 : 1;
    auto& team = free[row.team];
    const bool fits = std::all_of(row.slots.begin(), row.slots.end(),
                                  [&](const std::string& slot) { return team[slot] >= carers; });
    if (fits) {
      for (const auto& slot : row.slots) {
        team[slot] -= carers;
      }
      ++picked;
    }
  }
  return picked;
}

// Every figure of `summary` against `rows`, the referrals it should cover.
void check_against_reference(const engine::Summary& summary, const std::vector<SeedRow>& rows) {
  double total_hours = 0;
  for (const auto& row : rows) {
    total_hours += row.weekly_hours;
  }
  CHECK(summary.total.count == rows.size());
  CHECK(summary.total.weekly_hours == total_hours);
  CHECK(summary.wait_ranges == k_wait_ranges);

  // Team × wait range: teams alphabetically, one cell per published wait range.
  std::map<std::string, std::map<std::string, engine::Tally>> grid;
  for (const auto& row : rows) {
    auto& cell = grid[row.team][row.wait_range];
    ++cell.count;
    cell.weekly_hours += row.weekly_hours;
  }
  REQUIRE(summary.by_team.size() == grid.size());
  auto team_row = summary.by_team.begin();
  for (const auto& [team, waits] : grid) {
    CAPTURE(team);
    CHECK(team_row->team == team);
    std::size_t team_count = 0;
    for (std::size_t w = 0; w < k_wait_ranges.size(); ++w) {
      CAPTURE(k_wait_ranges[w]);
      const auto found = waits.find(k_wait_ranges[w]);
      const engine::Tally want = found == waits.end() ? engine::Tally{} : found->second;
      CHECK(team_row->by_wait.at(w).count == want.count);
      CHECK(team_row->by_wait.at(w).weekly_hours == want.weekly_hours);
      team_count += want.count;
    }
    CHECK(team_row->total.count == team_count);
    ++team_row;
  }
  for (std::size_t w = 0; w < k_wait_ranges.size(); ++w) {
    const auto in_range = [&](const SeedRow& row) { return row.wait_range == k_wait_ranges[w]; };
    double hours = 0;
    for (const auto& row : rows) {
      hours += in_range(row) ? row.weekly_hours : 0;
    }
    CHECK(summary.wait_totals.at(w).count ==
          static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), in_range)));
    CHECK(summary.wait_totals.at(w).weekly_hours == hours);
  }

  // Care types, in the protocol's order.
  REQUIRE(summary.by_care_type.size() == k_care_types.size());
  for (std::size_t i = 0; i < k_care_types.size(); ++i) {
    engine::Tally want;
    for (const auto& row : rows) {
      if (row.care_type == k_care_types[i]) {
        ++want.count;
        want.weekly_hours += row.weekly_hours;
      }
    }
    CAPTURE(k_care_types[i]);
    CHECK(summary.by_care_type[i].name == k_care_types[i]);
    CHECK(summary.by_care_type[i].tally.count == want.count);
    CHECK(summary.by_care_type[i].tally.weekly_hours == want.weekly_hours);
  }

  // Packages × single / double handed, packages by visits a day.
  REQUIRE(summary.by_package.size() == k_packages.size());
  for (std::size_t i = 0; i < k_packages.size(); ++i) {
    engine::Tally single;
    engine::Tally twice;
    for (const auto& row : rows) {
      if (row.package == k_packages[i]) {
        auto& tally = row.double_handed ? twice : single;
        ++tally.count;
        tally.weekly_hours += row.weekly_hours;
      }
    }
    CAPTURE(k_packages[i]);
    CHECK(summary.by_package[i].package == k_packages[i]);
    CHECK(summary.by_package[i].single_handed.count == single.count);
    CHECK(summary.by_package[i].single_handed.weekly_hours == single.weekly_hours);
    CHECK(summary.by_package[i].double_handed.count == twice.count);
    CHECK(summary.by_package[i].double_handed.weekly_hours == twice.weekly_hours);
  }

  // Contracts: count, hours and days waiting (median, nearest-rank 90th, longest).
  const auto check_waits = [](const engine::WaitFigures& got, const std::vector<SeedRow>& group) {
    std::vector<double> days;
    double hours = 0;
    for (const auto& row : group) {
      days.push_back(row.days);
      hours += row.weekly_hours;
    }
    CHECK(got.tally.count == group.size());
    CHECK(got.tally.weekly_hours == hours);
    CHECK(got.median_days == reference_median(days));
    CHECK(got.p90_days == reference_p90(days));
    CHECK(got.longest_days == *std::max_element(days.begin(), days.end()));
  };
  REQUIRE(summary.by_contract.size() == k_contracts.size());
  for (std::size_t i = 0; i < k_contracts.size(); ++i) {
    std::vector<SeedRow> group;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(group),
                 [&](const SeedRow& row) { return row.contract == k_contracts[i]; });
    CAPTURE(k_contracts[i]);
    CHECK(summary.by_contract[i].name == k_contracts[i]);
    check_waits(summary.by_contract[i], group);
  }
  CHECK(summary.all_waits.name == "All");
  check_waits(summary.all_waits, rows);

  // Sources: most referrals first, then by name ignoring case.
  std::map<std::string, engine::Tally> sources;
  for (const auto& row : rows) {
    ++sources[row.source].count;
    sources[row.source].weekly_hours += row.weekly_hours;
  }
  std::vector<std::pair<std::string, engine::Tally>> want_sources(sources.begin(), sources.end());
  std::sort(want_sources.begin(), want_sources.end(), [](const auto& a, const auto& b) {
    return a.second.count != b.second.count ? a.second.count > b.second.count
                                            : lower(a.first) < lower(b.first);
  });
  REQUIRE(summary.by_source.size() == want_sources.size());
  for (std::size_t i = 0; i < want_sources.size(); ++i) {
    CAPTURE(i);
    CHECK(summary.by_source[i].name == want_sources[i].first);
    CHECK(summary.by_source[i].tally.count == want_sources[i].second.count);
    CHECK(summary.by_source[i].tally.weekly_hours == want_sources[i].second.weekly_hours);
  }

  // In a hospital or care bed, and the bed-days those waits have cost.
  std::size_t in_bed = 0;
  double bed_days = 0;
  for (const auto& row : rows) {
    if (k_bed_sources.contains(row.source)) {
      ++in_bed;
      bed_days += row.days;
    }
  }
  CHECK(summary.in_bed.count == in_bed);
  CHECK(summary.bed_days == bed_days);
}

// Carer visits each slot needs: one per referral in it, two when double handed.
std::map<std::string, long> reference_visits_needed(const std::vector<SeedRow>& rows) {
  std::map<std::string, long> needed;
  for (const auto& row : rows) {
    for (const auto& slot : row.slots) {
      needed[slot] += row.double_handed ? 2 : 1;
    }
  }
  return needed;
}

engine::Referral referral(const std::string& id, const std::string& team, std::uint32_t slots,
                          bool double_handed, double weekly_hours, double days) {
  engine::Referral r;
  r.id = id;
  r.team = team;
  r.source = "SPA";
  r.package = "OD";
  r.contract = "CRS";
  r.wait_range = "Waiting 0-7 days";
  r.care_type = "Simple";
  r.visit_slots = slots;
  r.double_handed = double_handed;
  r.weekly_hours = weekly_hours;
  r.daily_hours = weekly_hours / 7;
  r.days_waiting = days;
  return r;
}

}  // namespace

TEST_CASE("summary: every figure of the published scenario", "[summary]") {
  const auto rows = seed_rows();
  const auto list = read(tests::slurp(k_source_dir + "/sample-data/referrals.csv"));
  const auto summary = summarise(list);

  check_against_reference(summary, rows);
  CHECK(summary.rows_read == 33);
  CHECK(summary.needs_attention.empty());
  CHECK(summary.input == "sample-data/referrals.csv");
  CHECK_FALSE(summary.has_capacity);
  CHECK(summary.visits.empty());
  CHECK_FALSE(summary.weeks_to_clear);

  // Headline figures worked by hand from the published table, as a check on
  // the reference code above.
  CHECK(summary.total.weekly_hours == 504);
  CHECK(summary.by_team.size() == 1);
  CHECK(summary.by_contract[0].tally.count == 20);  // HDRS
  CHECK(summary.in_bed.count == 15);                // 6 + 5 + 4
}

TEST_CASE("summary: the published scenario split over four teams", "[summary]") {
  auto rows = seed_rows();
  const auto list = read(four_team_csv(rows));
  const auto summary = summarise(list);
  check_against_reference(summary, rows);
  REQUIRE(summary.by_team.size() == 4);
  CHECK(summary.by_team[0].team == "City");
  CHECK(summary.by_team[3].team == "West");
}

TEST_CASE("summary: visits needed against visits free, and who fits now", "[summary]") {
  auto rows = seed_rows();
  const std::vector<std::pair<std::string, std::vector<int>>> free{{"North", {4, 2, 1, 3}},
                                                                   {"South", {6, 3, 2, 5}},
                                                                   {"City", {1, 0, 0, 1}},
                                                                   {"West", {3, 3, 3, 3}}};
  const auto capacity = capacity_plan(free);
  std::map<std::string, std::map<std::string, int>> free_by_team;
  for (const auto& [team, visits] : free) {
    for (std::size_t i = 0; i < k_slots.size(); ++i) {
      free_by_team[team][k_slots[i]] = visits[i];
    }
  }

  SECTION("the whole list: every team's visits free") {
    const auto list = read(four_team_csv(rows));
    const auto summary = summarise(list, &capacity);
    const auto needed = reference_visits_needed(rows);
    REQUIRE(summary.has_capacity);
    REQUIRE(summary.visits.size() == 4);
    const std::vector<long> all_free{14, 8, 6, 12};
    for (std::size_t i = 0; i < k_slots.size(); ++i) {
      CAPTURE(k_slots[i]);
      CHECK(summary.visits[i].slot == k_slots[i]);
      CHECK(summary.visits[i].needed == needed.at(k_slots[i]));
      CHECK(summary.visits[i].free == all_free[i]);
      CHECK(summary.visits[i].shortfall() == std::max(0L, needed.at(k_slots[i]) - all_free[i]));
    }
    CHECK(summary.can_pick_up_now == reference_pick_ups(rows, free_by_team));
    CHECK(summary.can_pick_up_now > 0);
  }

  SECTION("one team: its referrals and its visits free only") {
    const auto list = read(four_team_csv(rows), "  north ");
    const auto summary = summarise(list, &capacity, std::nullopt, "  north ");
    std::vector<SeedRow> north;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(north),
                 [](const SeedRow& row) { return row.team == "North"; });
    REQUIRE(north.size() == 9);  // rows 1, 5, 9, ... 33
    check_against_reference(summary, north);
    CHECK(summary.rows_read == 33);  // of the file, before the filter
    const auto needed = reference_visits_needed(north);
    for (std::size_t i = 0; i < k_slots.size(); ++i) {
      CAPTURE(k_slots[i]);
      CHECK(summary.visits[i].needed == (needed.contains(k_slots[i]) ? needed.at(k_slots[i]) : 0));
      CHECK(summary.visits[i].free == free[0].second[i]);
    }
    CHECK(summary.can_pick_up_now == reference_pick_ups(north, free_by_team));
  }
}

TEST_CASE("summary: weeks to clear are whole weeks, rounded up", "[summary]") {
  const auto list = read(tests::slurp(k_source_dir + "/sample-data/referrals.csv"));
  CHECK(summarise(list, nullptr, 10).weeks_to_clear->weeks == 4);  // 33 / 10 = 3.3
  CHECK(summarise(list, nullptr, 11).weeks_to_clear->weeks == 3);  // exactly 3
  CHECK(summarise(list, nullptr, 33).weeks_to_clear->weeks == 1);
  CHECK(summarise(list, nullptr, 100).weeks_to_clear->weeks == 1);
  CHECK(summarise(list, nullptr, 2.5).weeks_to_clear->weeks == 14);   // 13.2
  CHECK(summarise(list, nullptr, 0.1).weeks_to_clear->weeks == 330);  // not 331
  CHECK(summarise(list, nullptr, 10).weeks_to_clear->people == 33);
  CHECK_THROWS_AS(summarise(list, nullptr, 0), engine::ConfigError);
  CHECK_THROWS_AS(summarise(list, nullptr, -1), engine::ConfigError);
}

TEST_CASE("summary: median and nearest-rank percentile", "[summary]") {
  using engine::median;
  using engine::nearest_rank_percentile;
  CHECK(median({}) == 0);
  CHECK(median({7}) == 7);
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);  // even count: the mean of the middle two
  CHECK(median({10, 10, 20, 40}) == 15);

  CHECK(nearest_rank_percentile({}, 90) == 0);
  CHECK(nearest_rank_percentile({7}, 90) == 7);
  CHECK(nearest_rank_percentile({50, 15, 40, 20, 35}, 90) == 50);            // rank ceil(4.5) = 5
  CHECK(nearest_rank_percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90) == 9);  // rank exactly 9
  CHECK(nearest_rank_percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 90) == 10);  // ceil(9.9)
  std::vector<double> twenty;
  for (int i = 20; i >= 1; --i) {
    twenty.push_back(i);
  }
  CHECK(nearest_rank_percentile(twenty, 90) == 18);
  CHECK(nearest_rank_percentile({3, 3, 3, 10}, 90) == 10);  // rank ceil(3.6) = 4
  CHECK(nearest_rank_percentile({3, 3, 3, 3, 3, 3, 3, 3, 3, 10}, 90) == 3);
  CHECK(nearest_rank_percentile({1, 2, 3, 4}, 50) == 2);
  CHECK(nearest_rank_percentile({1, 2, 3, 4}, 100) == 4);

  // Large shuffled samples with many repeats (found by selection, not a
  // sort): the same as read off the sorted values.
  for (const std::size_t n : {std::size_t{9999}, std::size_t{10000}}) {
    std::vector<double> days;
    std::uint64_t state = n;
    for (std::size_t i = 0; i < n; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      days.push_back(static_cast<double>((state >> 33) % 150));
    }
    std::vector<double> sorted = days;
    std::sort(sorted.begin(), sorted.end());
    const double expected_median =
        n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    CHECK(median(days) == expected_median);
    CHECK(nearest_rank_percentile(days, 90) == sorted[(90 * n + 99) / 100 - 1]);
  }
}

TEST_CASE("summary: hand-made lists", "[summary]") {
  const auto& rules = engine::default_rules();
  Read made;
  made.list.source_name = "made.csv";

  SECTION("a double-handed referral needs two carer visits in each of its slots") {
    constexpr std::uint32_t am = 1U << 0;
    constexpr std::uint32_t tea = 1U << 2;
    constexpr std::uint32_t pm = 1U << 3;
    made.list.referrals = {referral("D1", "North", am | pm, true, 7, 3),
                           referral("D2", "North", am, false, 3.5, 10),
                           referral("D3", "North", am | tea | pm, true, 21, 1)};
    made.list.rows_read = 3;
    made.order = {0, 1, 2};  // as listed: the order is rank_order's business, not this test's
    const auto capacity = capacity_plan({{"North", {5, 0, 1, 4}}});
    const auto summary = summarise(made, &capacity);
    CHECK(summary.visits[0].needed == 5);  // 2 + 1 + 2
    CHECK(summary.visits[1].needed == 0);
    CHECK(summary.visits[2].needed == 2);
    CHECK(summary.visits[3].needed == 4);
    CHECK(summary.visits[2].shortfall() == 1);
    CHECK(summary.visits[3].shortfall() == 0);
    // D3 lacks a second Tea carer; D1 and D2 fit whatever the order.
    CHECK(summary.can_pick_up_now == 2);
  }

  SECTION("an empty list still shows the rule set's groups, all zero") {
    made.list.rows_read = 0;
    const auto capacity = capacity_plan({{"North", {1, 2, 3, 4}}});
    const auto summary = summarise(made, &capacity, 5);
    CHECK(summary.total.count == 0);
    CHECK(summary.total.weekly_hours == 0);
    CHECK(summary.wait_ranges == k_wait_ranges);
    CHECK(summary.by_team.empty());
    CHECK(summary.wait_totals.size() == 5);
    CHECK(summary.by_care_type.size() == 4);
    CHECK(summary.by_package.size() == 4);
    REQUIRE(summary.by_contract.size() == 2);
    CHECK(summary.by_contract[0].tally.count == 0);
    CHECK(summary.all_waits.median_days == 0);
    CHECK(summary.by_source.empty());
    CHECK(summary.in_bed.count == 0);
    CHECK(summary.visits[3].needed == 0);
    CHECK(summary.visits[3].free == 4);
    CHECK(summary.can_pick_up_now == 0);
    CHECK(summary.weeks_to_clear->weeks == 0);
    const auto provenance =
        engine::make_provenance(rules, *engine::make_date(2019, 12, 16), "made.csv", &capacity);
    const auto table = engine::format_summary_table(summary, provenance);
    CHECK(table.find("Needs attention — cannot be scored (0)\n  none\n") != std::string::npos);
    const auto json = nlohmann::json::parse(engine::format_summary_json(summary, provenance));
    CHECK(json["by_contract"][0]["median_days_waiting"].is_null());
    CHECK(json["totals"]["referrals"] == 0);
  }

  SECTION("values are grouped ignoring case and spaces; other wait ranges follow the rule set's") {
    engine::Referral unbanded = referral("G3", "", 1, false, 7, 3);
    unbanded.wait_range = "Waiting a while";
    made.list.referrals = {referral("G1", "North", 1, false, 7, 3),
                           referral("G2", " north", 1, false, 7, 3), unbanded};
    made.order = {0, 1, 2};
    const auto summary = summarise(made);
    REQUIRE(summary.by_team.size() == 2);
    CHECK(summary.by_team[0].team == "(not given)");
    CHECK(summary.by_team[1].team == "North");
    CHECK(summary.by_team[1].total.count == 2);
    REQUIRE(summary.wait_ranges.size() == 6);
    CHECK(summary.wait_ranges.back() == "Waiting a while");
    CHECK(summary.by_team[0].by_wait.back().count == 1);
  }
}

TEST_CASE("summary: rows that cannot be scored are listed and counted as waiting", "[summary]") {
  std::string csv = tests::slurp(k_source_dir + "/sample-data/referrals.csv");
  // S999 has no valid date: it cannot be scored, but the person still waits.
  csv +=
      "S999,Triaged,South,SPA,OX11,AM,OD,No,0.5,3.5,Simple,CRS,SPA,,31/02/2019,,"
      "Mobile with 1 staff\n";
  const auto list = read(csv);
  const auto summary = summarise(list, nullptr, 17);
  CHECK(summary.total.count == 33);
  CHECK(summary.rows_read == 34);
  REQUIRE(summary.needs_attention.size() == 1);
  CHECK(summary.needs_attention[0].row.line == 35);
  CHECK(summary.needs_attention[0].row.id == "S999");
  CHECK(summary.weeks_to_clear->people == 34);
  CHECK(summary.weeks_to_clear->weeks == 2);

  const auto provenance =
      engine::make_provenance(engine::default_rules(), *engine::make_date(2019, 12, 16),
                              "sample-data/referrals.csv", nullptr);
  const auto table = engine::format_summary_table(summary, provenance);
  CHECK(table.find("Needs attention — cannot be scored (1)\n  row 35, id S999: ") !=
        std::string::npos);
  const auto json = nlohmann::json::parse(engine::format_summary_json(summary, provenance));
  REQUIRE(json["needs_attention"].size() == 1);
  CHECK(json["needs_attention"][0]["row"] == 35);
  CHECK(json["needs_attention"][0]["id"] == "S999");
  CHECK(json["needs_attention"][0]["reason"] == summary.needs_attention[0].row.reason);
}

TEST_CASE("summary: the table report", "[summary]") {
  auto rows = seed_rows();
  const auto list = read(four_team_csv(rows));
  const auto capacity = capacity_plan({{"North", {4, 2, 1, 3}}, {"South", {6, 3, 2, 5}}});
  const auto summary = summarise(list, &capacity, 10);
  const auto provenance =
      engine::make_provenance(engine::default_rules(), *engine::make_date(2019, 12, 16),
                              "sample-data/referrals.csv", &capacity);
  const auto table = engine::format_summary_table(summary, provenance);

  std::vector<std::string> lines;
  std::istringstream in(table);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  const auto line_starting = [&lines](const std::string& start) {
    const auto found = std::find_if(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.starts_with(start);
    });
    return found == lines.end() ? std::string() : *found;
  };
  CHECK(lines.at(0) == "Waiting list summary: sample-data/referrals.csv");
  // The provenance, perhaps wrapped: joined again it reads as describe() wrote it.
  std::string joined = table;
  for (std::size_t at; (at = joined.find("\n  ")) != std::string::npos;) {
    joined.replace(at, 3, " ");
  }
  CHECK(joined.find(provenance.describe()) != std::string::npos);
  CHECK(line_starting("  Referrals waiting ").ends_with(" 33"));
  CHECK(line_starting("  Weekly hours of care ").ends_with(" 504 h"));
  CHECK(line_starting("  Cannot be scored ").ends_with(" 0"));
  CHECK(line_starting("  Length of wait ").find("City") != std::string::npos);
  CHECK(
      line_starting("  Waiting 29 days + ")
          .ends_with(" 14 (" + engine::format_number(summary.wait_totals[4].weekly_hours) + " h)"));
  CHECK(line_starting("  HDRS ").ends_with(
      " " + engine::format_number(summary.by_contract[0].longest_days)));
  CHECK(line_starting("  All ").ends_with(" " +
                                          engine::format_number(summary.all_waits.longest_days)));
  CHECK(line_starting("  Community Hospitals ").find(" 6 ") != std::string::npos);
  CHECK(line_starting("  AM ").find(std::to_string(summary.visits[0].needed)) != std::string::npos);
  CHECK(line_starting("  Could be picked up now")
            .ends_with(std::to_string(summary.can_pick_up_now) + " of 33"));
  CHECK(line_starting(
            "  4 weeks for the 33 people waiting, at 10 pick-ups a week and nobody new joining") !=
        "");
  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK(line.size() <= engine::k_summary_width);
  }
}

TEST_CASE("summary: the table fits 100 columns with long names and many teams", "[summary]") {
  Read made;
  made.list.source_name = "made.csv";
  for (int i = 0; i < 12; ++i) {
    engine::Referral made_referral =
        referral("L" + std::to_string(i),
                 "A team with a very long locality name number " + std::to_string(i), 1, false,
                 1234.25, 400);
    if (i == 0) {
      made_referral.source = std::string(150, 'x');
    }
    made.list.referrals.push_back(made_referral);
  }
  engine::UnscorableReferral unscorable;
  unscorable.row = {5, "L99", "Mobility",
                    std::string(40, 'y') + " " + std::string(300, 'z') + " end"};
  made.list.unscorable.push_back(unscorable);
  made.order.resize(made.list.referrals.size());
  std::iota(made.order.begin(), made.order.end(), 0);
  const auto summary = summarise(made);
  const auto provenance = engine::make_provenance(
      engine::default_rules(), *engine::make_date(2019, 12, 16), std::string(120, 'p'), nullptr);
  const auto table = engine::format_summary_table(summary, provenance);
  std::istringstream in(table);
  std::size_t grids = 0;
  for (std::string line; std::getline(in, line);) {
    CAPTURE(line);
    // Counted in code points: "—" and "…" are one column each.
    const auto width = std::count_if(line.begin(), line.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    CHECK(width <= 100);
    grids += line.starts_with("  Length of wait") ? 1 : 0;
  }
  CHECK(grids > 1);                                  // twelve teams do not fit one grid
  CHECK(table.find(" end\n") != std::string::npos);  // the long reason is all there
}

TEST_CASE("summary: the JSON report", "[summary]") {
  const auto list = read(tests::slurp(k_source_dir + "/sample-data/referrals.csv"));
  const auto capacity = capacity_plan({{"South", {6, 3, 2, 5}}});
  const auto summary = summarise(list, &capacity, 10);
  const auto provenance =
      engine::make_provenance(engine::default_rules(), *engine::make_date(2019, 12, 16),
                              "sample-data/referrals.csv", &capacity);
  const auto json = nlohmann::json::parse(engine::format_summary_json(summary, provenance));

  // Every provenance member, as the provenance writes it.
  const auto members = nlohmann::json::parse("{" + provenance.json_members() + "}");
  REQUIRE_FALSE(members.empty());
  for (const auto& [key, value] : members.items()) {
    CAPTURE(key);
    CHECK(json.at(key) == value);
  }
  for (const char* key :
       {"team", "rows_read", "totals", "wait_ranges", "by_team", "by_wait_range", "by_care_type",
        "by_package", "by_contract", "all_waits", "p90_method", "by_source", "in_bed", "visits",
        "can_pick_up_now", "weeks_to_clear", "needs_attention"}) {
    CAPTURE(key);
    CHECK(json.contains(key));
  }
  CHECK(json["team"].is_null());
  CHECK(json["totals"]["referrals"] == 33);
  CHECK(json["totals"]["weekly_hours"] == 504);
  CHECK(json["totals"]["cannot_be_scored"] == 0);
  CHECK(json["wait_ranges"].get<std::vector<std::string>>() == k_wait_ranges);
  CHECK(json["by_team"][0]["team"] == "South");
  CHECK(json["by_team"][0]["by_wait_range"][4]["referrals"] == 14);
  CHECK(json["by_contract"][0]["contract"] == "HDRS");
  CHECK(json["by_contract"][0]["median_days_waiting"] == summary.by_contract[0].median_days);
  CHECK(json["by_contract"][1]["p90_days_waiting"] == summary.by_contract[1].p90_days);
  CHECK(json["all_waits"]["longest_days_waiting"] == summary.all_waits.longest_days);
  CHECK(json["in_bed"]["referrals"] == 15);
  CHECK(json["in_bed"]["bed_days"] == summary.bed_days);
  CHECK(json["visits"][3]["slot"] == "PM");
  CHECK(json["visits"][3]["needed"] == summary.visits[3].needed);
  CHECK(json["visits"][3]["free"] == 5);
  CHECK(json["can_pick_up_now"]["referrals"] == summary.can_pick_up_now);
  CHECK(json["weeks_to_clear"]["weeks"] == 4);
  CHECK(json["needs_attention"].empty());
}
