// Ranking, capacity files and pick-up planning on the published scenario, with
// the right answers worked out by hand in the comments, then the report formats.
#include <engine/capacity.hpp>
#include <engine/errors.hpp>
#include <engine/pick_up.hpp>
#include <engine/pick_up_report.hpp>
#include <engine/ranking.hpp>
#include <engine/rule_set.hpp>
#include <engine/text_table.hpp>
#include <tests/support/csv_table.hpp>
#include <tests/support/temp_dir.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

namespace {

const std::string k_sample = std::string(REABLEMENT_SOURCE_DIR) + "/sample-data/referrals.csv";

engine::RankedList rank(const std::string& capacity_toml, engine::CapacityPolicy policy,
                        const std::string& csv = tests::slurp(k_sample),
                        const std::string& team = "") {
  const auto& rules = engine::default_rules();
  static std::optional<engine::CapacityPlan> capacity;  // outlives the returned list's use
  capacity.reset();
  engine::RankRequest request;
  request.list.rules = &rules;
  request.list.as_of = *engine::make_date(2019, 12, 16);
  request.list.input_name = "referrals.csv";
  request.list.team = team;
  request.policy = policy;
  if (!capacity_toml.empty()) {
    capacity = engine::load_capacity(capacity_toml, "capacity.toml", rules);
    request.capacity = &*capacity;
  }
  std::istringstream in(csv);
  return engine::rank_waiting_list(request, in);
}

std::vector<std::string> ids_in_rank_order(const engine::RankedList& ranked) {
  std::vector<std::string> ids;
  for (const auto& line : ranked.plan.lines) {
    ids.push_back(ranked.list.referrals[line.referral].id);
  }
  return ids;
}

std::vector<std::string> ids_with(const engine::RankedList& ranked, engine::PickUpStatus status) {
  std::vector<std::string> ids;
  for (const auto& line : ranked.plan.lines) {
    if (line.status == status) {
      ids.push_back(ranked.list.referrals[line.referral].id);
    }
  }
  return ids;
}

const engine::PickUpLine& line_of(const engine::RankedList& ranked, const std::string& id) {
  for (const auto& line : ranked.plan.lines) {
    if (ranked.list.referrals[line.referral].id == id) {
      return line;
    }
  }
  throw std::runtime_error("no line for " + id);
}

std::string_view reason_of(const engine::RankedList& ranked, const std::string& id) {
  return ranked.plan.reason(line_of(ranked, id));
}

}  // namespace

TEST_CASE("rank: the published scenario in the rule set's order", "[rank]") {
  // Score desc, then days waiting desc, then referral date asc, then id asc,
  // worked out by hand from seed-expected.csv:
  //   21: S002 (28 days), S001 (25)
  //   20: S003 (14), S004 (3)
  //   18: S008 (84), S006 (61), S007 (56), S005 (47), S009 (24)
  //   15: S016 (83), S011 (39), S013 (34), S010 and S012 (18 days, both 28/11/2019:
  //       id decides), S014 (12), S015 (7), S017 (0)
  //   12: S025 (105), S029 (67), S020 (61), S027 (54), S019 (48), S030 (46), S022 (41),
  //       S028 (19), S018 (18), S021, S023, S026 (17 days, all 29/11/2019), S024 (12)
  //    9: S032 (19), S033 (11), S031 (7)
  const std::vector<std::string> expected{
      "S002", "S001", "S003", "S004", "S008", "S006", "S007", "S005", "S009", "S016", "S011",
      "S013", "S010", "S012", "S014", "S015", "S017", "S025", "S029", "S020", "S027", "S019",
      "S030", "S022", "S028", "S018", "S021", "S023", "S026", "S024", "S032", "S033", "S031"};
  const auto ranked = rank("", engine::CapacityPolicy::fill);
  CHECK(ids_in_rank_order(ranked) == expected);
  for (std::size_t i = 0; i < ranked.plan.lines.size(); ++i) {
    CHECK(ranked.plan.lines[i].rank == i + 1);
    CHECK(ranked.plan.lines[i].status == engine::PickUpStatus::unmatched);
  }
}

TEST_CASE("rank: the order never depends on the input order", "[rank]") {
  // The same referrals, rows reversed: the stated tie-breaks still decide.
  std::string csv = tests::slurp(k_sample);
  std::vector<std::string> lines;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  std::string reversed = lines.front() + "\n";
  for (std::size_t i = lines.size() - 1; i >= 1; --i) {
    reversed += lines[i] + "\n";
  }
  CHECK(ids_in_rank_order(rank("", engine::CapacityPolicy::fill, reversed)) ==
        ids_in_rank_order(rank("", engine::CapacityPolicy::fill)));
}

TEST_CASE("compare_referrals names the tie-break that decided", "[rank]") {
  const auto ranked = rank("", engine::CapacityPolicy::fill);
  const auto& rules = engine::default_rules();
  const auto find = [&](const std::string& id) -> engine::Referral {
    return ranked.list.referrals[line_of(ranked, id).referral];
  };
  // Both 21: days waiting (key 1) decides, 28 before 25.
  const auto by_days = engine::compare_referrals(rules, find("S002"), find("S001"));
  CHECK(by_days.first_ranks_higher);
  CHECK(by_days.deciding_key == std::optional<std::size_t>(1));
  // 18 days and the same date: the id (key 3) decides.
  const auto by_id = engine::compare_referrals(rules, find("S012"), find("S010"));
  CHECK_FALSE(by_id.first_ranks_higher);
  CHECK(by_id.deciding_key == std::optional<std::size_t>(3));
  // Different scores: the score (key 0) decides.
  CHECK(engine::compare_referrals(rules, find("S031"), find("S002")).deciding_key ==
        std::optional<std::size_t>(0));
}

TEST_CASE("pick-up: fill and strict against a visits-only capacity", "[rank][capacity]") {
  // South has AM 4, Lunch 2, Tea 2, PM 3 carer visits free; no hours budget.
  const std::string capacity = "[teams.South]\nvisits = { AM = 4, Lunch = 2, Tea = 2, PM = 3 }\n";
  SECTION("fill skips what does not fit and goes on down the list") {
    // 1 S002 QDS x2 needs 2 in each slot: fits, leaving AM 2, Lunch 0, Tea 0, PM 1.
    // 2 S001 QDS x2: Lunch 0, Tea 0, PM 1 < 2: blocked.
    // 3 S003 OD AM: fits, AM 1.   4 S004 TDS AM/Lunch/Tea: Lunch, Tea 0: blocked.
    // 5-9 the QDS/BD x2 referrals need 2 AM: blocked.
    // 10 S016 BD AM/PM single: AM 1, PM 1: fits, AM 0, PM 0. Everyone after needs AM,
    // Lunch or PM (S020, S027, S029, S030 need Lunch; S032 PM): blocked.
    const auto ranked = rank(capacity, engine::CapacityPolicy::fill);
    CHECK(ids_with(ranked, engine::PickUpStatus::can_pick_up) ==
          std::vector<std::string>{"S002", "S003", "S016"});
    CHECK(ranked.plan.can_pick_up == 3);
    CHECK(ids_with(ranked, engine::PickUpStatus::blocked).size() == 30);
    CHECK(reason_of(ranked, "S001") == "no Lunch, Tea or PM double-handed visit free");
    CHECK(reason_of(ranked, "S004") == "no Lunch or Tea visit free");
    CHECK(reason_of(ranked, "S006") == "no AM or PM double-handed visit free");
    CHECK(reason_of(ranked, "S029") == "no Lunch visit free");
    CHECK(reason_of(ranked, "S032") == "no PM visit free");
    REQUIRE(ranked.plan.remaining.size() == 1);
    CHECK(ranked.plan.remaining[0].visits_free == std::vector<int>{0, 0, 0, 0});
  }
  SECTION("strict stops at the first that does not fit: nobody jumps the queue") {
    // S002 fits; S001 does not, so everyone after it is held back, S003 and S016 too.
    const auto ranked = rank(capacity, engine::CapacityPolicy::strict);
    CHECK(ids_with(ranked, engine::PickUpStatus::can_pick_up) == std::vector<std::string>{"S002"});
    CHECK(ids_with(ranked, engine::PickUpStatus::blocked) == std::vector<std::string>{"S001"});
    CHECK(ids_with(ranked, engine::PickUpStatus::held_back).size() == 31);
    CHECK(reason_of(ranked, "S003") == "waits behind rank 2, which does not fit (strict policy)");
    CHECK(ranked.plan.remaining[0].visits_free == std::vector<int>{2, 0, 0, 1});
  }
}

TEST_CASE("pick-up: a weekly carer-hours budget", "[rank][capacity]") {
  // 10 visits in every slot (never short) and 100 carer hours a week.
  // 1 S002 QDS x2, 28 h a week, doubled: 56 <= 100, fits: 44 left.
  // 2 S001 needs 56 > 44: blocked.   3 S003 3.5 h: 40.5 left.   4 S004 10.5 h: 30 left.
  // 5-9 S008 (84), S006 (42), S007 (42), S005 (56), S009 (56): blocked.
  // 10 S016 7 h: 23 left.   11 S011 7 h: 16 left.   12 S013 14 h: 2 left.
  // Nobody after needs 2 h or less (the least is 3.5): all blocked.
  const auto ranked = rank(
      "[teams.South]\nvisits = { AM = 10, Lunch = 10, Tea = 10, PM = 10 }\n"
      "weekly_hours = 100\n",
      engine::CapacityPolicy::fill);
  CHECK(ids_with(ranked, engine::PickUpStatus::can_pick_up) ==
        std::vector<std::string>{"S002", "S003", "S004", "S016", "S011", "S013"});
  CHECK(reason_of(ranked, "S001") == "weekly hours budget spent (needs 56 h, 44 h left)");
  CHECK(reason_of(ranked, "S008") == "weekly hours budget spent (needs 84 h, 30 h left)");
  CHECK(reason_of(ranked, "S027") == "weekly hours budget spent (needs 3.5 h, 2 h left)");
  REQUIRE(ranked.plan.remaining[0].weekly_hours);
  CHECK(*ranked.plan.remaining[0].weekly_hours == 2);
}

TEST_CASE("pick-up: a team with no capacity stated is not matched", "[rank][capacity]") {
  const auto ranked = rank("[teams.North]\nvisits = { AM = 10 }\n", engine::CapacityPolicy::fill);
  CHECK(ranked.plan.can_pick_up == 0);
  CHECK(line_of(ranked, "S002").status == engine::PickUpStatus::unmatched);
  CHECK(reason_of(ranked, "S002") == "no capacity stated for team 'South'");
}

TEST_CASE("rank: a referral that cannot be scored needs attention, never dropped", "[rank]") {
  std::string csv = tests::slurp(k_sample);
  csv +=
      "S099,Triaged,South,SPA,OX11,AM,OD,No,1,7,Moderate,CRS,SPA,,31/02/2019,01/03/2019,"
      "Mobile with 1 staff\n";
  csv +=
      "N001,Triaged,North,SPA,OX11,AM,OD,No,1,7,Moderate,CRS,SPA,,01/12/2019,01/12/2019,"
      "Walks\n";
  const auto all = rank("", engine::CapacityPolicy::fill, csv);
  CHECK(all.list.referrals.size() == 33);
  REQUIRE(all.list.unscorable.size() == 2);
  CHECK(all.list.unscorable[0].row.id == "S099");
  CHECK(all.list.unscorable[0].team == "South");
  CHECK(all.list.unscorable[0].row.reason ==
        "'31/02/2019' is not a valid date; expected dd/mm/yyyy or yyyy-mm-dd");
  // The South team lead sees South's unscorable row, not North's.
  const auto south = rank("", engine::CapacityPolicy::fill, csv, "south");
  REQUIRE(south.list.unscorable.size() == 1);
  CHECK(south.list.unscorable[0].row.id == "S099");
  CHECK(rank("", engine::CapacityPolicy::fill, csv, "North").list.referrals.empty());
}

TEST_CASE("capacity files: problems are reported with file:line:column", "[capacity]") {
  const auto& rules = engine::default_rules();
  SECTION("an unknown slot, with the slots the rule set has") {
    REQUIRE_THROWS_WITH(
        engine::load_capacity("[teams.South]\nvisits = { AM = 1, Tae = 2 }\n", "cap.toml", rules),
        "cap.toml:2:20: [teams.South]: 'Tae' is not a visit slot of rule set "
        "joint-prioritisation-protocol; expected AM, Lunch, Tea, PM (did you mean 'Tea'?)");
  }
  SECTION("a negative or fractional count") {
    REQUIRE_THROWS_WITH(
        engine::load_capacity("[teams.South]\nvisits = { AM = -1, PM = 1.5 }\n", "cap.toml", rules),
        "cap.toml:2:17: [teams.South]: visits for 'AM' must be a whole number of carer visits, "
        "0 or more\ncap.toml:2:26: [teams.South]: visits for 'PM' must be a whole number of "
        "carer visits, 0 or more");
  }
  SECTION("an unknown key") {
    REQUIRE_THROWS_WITH(
        engine::load_capacity("[teams.South]\nvisit = { AM = 1 }\n", "cap.toml", rules),
        "cap.toml:2:1: unknown or mistyped key 'visit' in [teams.South]; expected visits = { "
        "SLOT = N, ... } and optionally weekly_hours = N (did you mean 'visits'?)");
  }
  SECTION("no team at all") {
    REQUIRE_THROWS_WITH(engine::load_capacity("title = \"x\"\n", "cap.toml", rules),
                        "cap.toml: the capacity file names no team; add [teams.NAME] with visits");
  }
  SECTION("slots left out have no visits free") {
    const auto plan = engine::load_capacity("[teams.South]\nvisits = { PM = 3 }\n", "c", rules);
    REQUIRE(plan.find(" SOUTH ") != nullptr);
    CHECK(plan.find("south")->visits_free == std::vector<int>{0, 0, 0, 3});
    CHECK_FALSE(plan.find("south")->weekly_hours);
  }
}

TEST_CASE("pick-up reports: table, CSV and JSON carry the same lines", "[rank][report]") {
  const std::string capacity = "[teams.South]\nvisits = { AM = 4, Lunch = 2, Tea = 2, PM = 3 }\n";
  const auto ranked = rank(capacity, engine::CapacityPolicy::fill);
  const auto& rules = engine::default_rules();
  const auto plan = engine::load_capacity(capacity, "capacity.toml", rules);
  const auto provenance =
      engine::make_provenance(rules, *engine::make_date(2019, 12, 16), "referrals.csv", &plan);
  const engine::PickUpReportOptions options{0, true, engine::CapacityPolicy::fill, ""};

  SECTION("the table fits 100 columns and names its provenance") {
    const std::string table = engine::format_pick_up_table(rules, ranked, provenance, options);
    std::istringstream lines(table);
    for (std::string line; std::getline(lines, line);) {
      CAPTURE(line);
      CHECK(engine::display_width(line) <= 100);
    }
    CHECK(table.find("rule set joint-prioritisation-protocol 2019.10 (sha256 " +
                     rules.hash.substr(0, 12) + "), as of 2019-12-16\n") != std::string::npos);
    CHECK(table.find("capacity capacity.toml (sha256 " + plan.hash.substr(0, 12) + ")") !=
          std::string::npos);
    CHECK(table.find("3 can be picked up now") != std::string::npos);
    CHECK(table.find("       \u2717 no Lunch, Tea or PM double-handed visit free\n") !=
          std::string::npos);
  }
  SECTION("CSV has every field of every line") {
    std::ostringstream out;
    engine::write_pick_up_csv(out, ranked, provenance, options);
    const auto csv = tests::parse_csv_table(out.str());
    REQUIRE(csv.rows.size() == 33);
    const auto& first = csv.rows[0];
    CHECK(first.at("Rank") == "1");
    CHECK(first.at("Referral ID") == "S002");
    CHECK(first.at("Score") == "21");
    CHECK(first.at("Days Waiting") == "28");
    CHECK(first.at("Wait Range") == "Waiting 22-28 days");
    CHECK(first.at("Package") == "QDS");
    CHECK(first.at("Double Handed") == "Yes");
    CHECK(first.at("Daily Hours") == "4");
    CHECK(first.at("Weekly Hours") == "28");
    CHECK(first.at("Visit Slots") == "AM, Lunch, Tea, PM");
    CHECK(first.at("Team") == "South");
    CHECK(first.at("Referral Source") == "ICB");
    CHECK(first.at("Pick-up") == "can pick up");
    CHECK(first.at("Rule Set") == "joint-prioritisation-protocol 2019.10");
    CHECK(first.at("Rule Set SHA-256") == rules.hash);
    CHECK(first.at("As Of") == "2019-12-16");
    CHECK(first.at("OPEL").empty());
    CHECK(first.at("Capacity File") == "capacity.toml");
    CHECK(csv.rows[1].at("Pick-up") == "blocked");
    CHECK(csv.rows[1].at("Reason") == "no Lunch, Tea or PM double-handed visit free");
  }
  SECTION("JSON names the rule set, as-of date and capacity file") {
    const auto json =
        nlohmann::json::parse(engine::format_pick_up_json(rules, ranked, provenance, options));
    CHECK(json["rule_set"]["name"] == "joint-prioritisation-protocol");
    CHECK(json["rule_set"]["sha256"] == rules.hash);
    CHECK(json["as_of"] == "2019-12-16");
    CHECK(json["opel"].is_null());
    CHECK(json["capacity"]["source"] == "capacity.toml");
    CHECK(json["policy"] == "fill");
    CHECK(json["can_pick_up"] == 3);
    REQUIRE(json["pick_up_list"].size() == 33);
    CHECK(json["pick_up_list"][2]["id"] == "S003");
    CHECK(json["pick_up_list"][2]["pick_up"] == "can pick up");
    CHECK(json["capacity_left"][0]["visits_free"]["AM"] == 0);
  }
  SECTION("--top shows only the first lines") {
    const engine::PickUpReportOptions top{2, true, engine::CapacityPolicy::fill, ""};
    std::ostringstream out;
    engine::write_pick_up_csv(out, ranked, provenance, top);
    CHECK(tests::parse_csv_table(out.str()).rows.size() == 2);
  }
}

TEST_CASE("pick-up CSV: every line's fields, over many parts, with ids that need care",
          "[rank][report]") {
  // 3,000 lines (the rows are rendered in 64 KiB steps), each checked field by
  // field against its referral; ids that must be quoted or neutralised as
  // formulas, and hours with fractions, among them.
  const std::string sample = tests::slurp(k_sample);
  const std::string header = sample.substr(0, sample.find('\n') + 1);
  const std::vector<std::string> odd_ids{"=1+2", "a,b", "say \"hi\"", "-5", "@home", "x\"y"};
  std::string csv = header;
  for (int i = 0; i < 3000; ++i) {
    const std::string id = i < static_cast<int>(odd_ids.size())
                               ? odd_ids[static_cast<std::size_t>(i)]
                               : "N" + std::to_string(i);
    std::string quoted = "\"";
    for (const char c : id) {
      quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    quoted += '"';
    const std::string hours = i % 2 == 0 ? "1.25,8.75" : "2,14";
    const std::string date = std::to_string(1 + i % 28) + "/11/2019";
    csv += quoted + ",Triaged,South,SPA,OX11,\"AM, PM\",BD,No," + hours + ",High,CRS,SPA,," + date +
           ",,Mobile with 1 staff\n";
  }
  const auto ranked = rank("", engine::CapacityPolicy::fill, csv);
  REQUIRE(ranked.plan.lines.size() == 3000);
  const auto& rules = engine::default_rules();
  const auto provenance =
      engine::make_provenance(rules, *engine::make_date(2019, 12, 16), "referrals.csv", nullptr);
  std::ostringstream out;
  engine::write_pick_up_csv(out, ranked, provenance,
                            {0, false, engine::CapacityPolicy::fill, "", 2});
  const std::string text = out.str();
  CHECK(text.find(",\"a,b\",") != std::string::npos);
  CHECK(text.find(",\"say \"\"hi\"\"\",") != std::string::npos);
  CHECK(text.find(",'=1+2,") != std::string::npos);
  CHECK(text.find(",-5,") != std::string::npos);  // a number, not a formula
  const auto table = tests::parse_csv_table(text);
  REQUIRE(table.rows.size() == 3000);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    CAPTURE(i);
    const auto& row = table.rows[i];
    const auto& referral = ranked.list.referrals[ranked.plan.lines[i].referral];
    CHECK(row.at("Rank") == std::to_string(i + 1));
    // A formula-like id keeps an apostrophe in front, as every CSV output does.
    const bool formula = referral.id == "=1+2" || referral.id == "@home";
    CHECK(row.at("Referral ID") == (formula ? "'" : "") + referral.id);
    ids.insert(referral.id);
    // Whole numbers under these rules: written with no decimal point.
    CHECK(row.at("Score") == std::to_string(static_cast<int>(referral.score)));
    CHECK(row.at("Days Waiting") == std::to_string(static_cast<int>(referral.days_waiting)));
    CHECK(row.at("Wait Range") == referral.wait_range);
    CHECK(row.at("Package") == "BD");
    CHECK(row.at("Double Handed") == "No");
    const bool fraction = referral.daily_hours == 1.25;
    CHECK(row.at("Daily Hours") == (fraction ? "1.25" : "2"));
    CHECK(row.at("Weekly Hours") == (fraction ? "8.75" : "14"));
    CHECK(row.at("Visit Slots") == "AM, PM");
    CHECK(row.at("Team") == "South");
    CHECK(row.at("Referral Source") == "SPA");
    CHECK(row.at("Pick-up") == "not matched");
    CHECK(row.at("Reason").empty());
    CHECK(row.at("Rule Set") == "joint-prioritisation-protocol 2019.10");
    CHECK(row.at("Rule Set SHA-256") == rules.hash);
    CHECK(row.at("As Of") == "2019-12-16");
  }
  CHECK(ids.size() == 3000);
  for (const auto& id : odd_ids) {
    CHECK(ids.count(id) == 1);
  }
}

TEST_CASE("rank: more rows than --max-rows is a clear error, not exhausted memory",
          "[rank][bad-input]") {
  const auto& rules = engine::default_rules();
  engine::RankRequest request;
  request.list.rules = &rules;
  request.list.as_of = *engine::make_date(2019, 12, 16);
  request.list.input_name = "referrals.csv";
  request.list.csv.max_rows = 10;
  std::istringstream in(tests::slurp(k_sample));
  REQUIRE_THROWS_WITH(engine::rank_waiting_list(request, in),
                      "referrals.csv:12: more than 10 rows (the limit, --max-rows): this command "
                      "holds the list in memory; raise the limit, or use 'score', which streams");
}

TEST_CASE("pick-up: referrals needing the same, one after another, fit only while capacity lasts",
          "[rank][capacity]") {
  // Five South referrals needing exactly the same (AM, single handed, 7 h a
  // week), ranked X1..X5 by days waiting; three AM visits free and 14 h: the
  // first two fit (the hours run out before the visits), the rest do not,
  // each told what is left.
  std::string csv =
      "Referral ID,Status,Team,Referral Source,Post Code,Level of Support,Package,Double Handed,"
      "Hours of Care (Daily),Hours of Care (Weekly),Care Type,HDRS or CRS,Site of Referral,Ward,"
      "Referral/Discharge Notice Date,Triage Date,Mobility\n";
  for (int i = 1; i <= 5; ++i) {
    csv += "X" + std::to_string(i) + ",Triaged,South,SPA,OX11,AM,OD,No,1,7,Moderate,CRS,SPA,," +
           std::to_string(10 + i) + "/11/2019,,Mobile with 1 staff\n";
  }
  const std::string capacity =
      "[teams.South]\nvisits = { AM = 3, Lunch = 0, Tea = 0, PM = 0 }\nweekly_hours = 14\n";
  for (const auto policy : {engine::CapacityPolicy::fill, engine::CapacityPolicy::strict}) {
    const auto ranked = rank(capacity, policy, csv);
    CHECK(ids_in_rank_order(ranked) == std::vector<std::string>{"X1", "X2", "X3", "X4", "X5"});
    CHECK(ids_with(ranked, engine::PickUpStatus::can_pick_up) ==
          std::vector<std::string>{"X1", "X2"});
    CHECK(line_of(ranked, "X3").status == engine::PickUpStatus::blocked);
    CHECK(reason_of(ranked, "X3") == "weekly hours budget spent (needs 7 h, 0 h left)");
    if (policy == engine::CapacityPolicy::fill) {
      CHECK(line_of(ranked, "X5").status == engine::PickUpStatus::blocked);
      CHECK(reason_of(ranked, "X5") == "weekly hours budget spent (needs 7 h, 0 h left)");
    } else {
      CHECK(line_of(ranked, "X4").status == engine::PickUpStatus::held_back);
      CHECK(reason_of(ranked, "X5") == "waits behind rank 3, which does not fit (strict policy)");
    }
  }
}

TEST_CASE("pick-up: a reason is kept once, and a line with none reads as empty", "[rank]") {
  engine::PickUpPlan plan;
  const std::uint32_t visits = plan.keep("no PM visit free");
  const std::uint32_t hours = plan.keep("weekly hours budget spent (needs 7 h, 0 h left)");
  CHECK(visits != 0);
  CHECK(hours != 0);
  CHECK(hours != visits);
  CHECK(plan.keep("no PM visit free") == visits);
  CHECK(plan.keep("") == 0);
  // Codes are kept by lines in millions: growing the texts must not move one.
  for (int i = 0; i < 100; ++i) {
    plan.keep("waits behind rank " + std::to_string(i));
  }
  CHECK(plan.reason({1, 0, visits, engine::PickUpStatus::blocked}) == "no PM visit free");
  CHECK(plan.reason({2, 1, hours, engine::PickUpStatus::blocked}) ==
        "weekly hours budget spent (needs 7 h, 0 h left)");
  CHECK(plan.reason({3, 2, 0, engine::PickUpStatus::unmatched}).empty());
}
