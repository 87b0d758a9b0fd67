// ReferralColumns keeps what a list needs compactly; what goes in must come
// back out unchanged, by index, by row and after being appended elsewhere.
#include <engine/detail/text_codes.hpp>
#include <engine/waiting_list.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

engine::Referral referral(std::size_t line, std::string id, std::string team, double score) {
  engine::Referral r;
  r.line = line;
  r.id = std::move(id);
  r.score = score;
  r.team = std::move(team);
  r.source = "URTS";
  r.package = "QDS";
  r.contract = "CRS";
  r.wait_range = "Waiting 8-14 days";
  r.care_type = "Complex";
  r.visit_slots = 0b1111;
  r.visit_slots_text = "AM, Lunch, Tea, PM";
  r.double_handed = line % 2 == 0;
  r.in_bed = line % 3 == 0;
  r.daily_hours = 4;
  r.weekly_hours = 28;
  r.days_waiting = static_cast<double>(line);
  r.key_numbers = {score, static_cast<double>(line), 0};
  r.key_texts = {"", "", r.id};
  return r;
}

// Ids around the length kept inline (12 bytes), and an empty one.
const std::vector<std::string> k_ids{
    "",  "R1", "R12345678901", "R123456789012", "R1234567890123", "REFERRAL-0000000000000000000042",
    "R7"};

}  // namespace

TEST_CASE("referral columns: ids short and long come back as they went in", "[list][columns]") {
  using Source = engine::ReferralColumns::KeySource;
  engine::ReferralColumns columns;
  columns.set_key_sources({Source::score, Source::own_number, Source::id});
  for (std::size_t i = 0; i < k_ids.size(); ++i) {
    columns.push_back(referral(i + 2, k_ids[i], i % 2 == 0 ? "South" : "North", 10.0 * i));
  }
  REQUIRE(columns.size() == k_ids.size());
  for (std::size_t i = 0; i < k_ids.size(); ++i) {
    CAPTURE(i);
    CHECK(columns.id(i) == k_ids[i]);
    CHECK(columns.key_text(i, 2) == k_ids[i]);
    CHECK(columns.key_number(i, 0) == 10.0 * i);
    CHECK(columns.key_number(i, 1) == static_cast<double>(i + 2));
    const engine::Referral r = columns[i];
    const engine::Referral expected =
        referral(i + 2, k_ids[i], i % 2 == 0 ? "South" : "North", 10.0 * i);
    CHECK(r.line == expected.line);
    CHECK(r.id == expected.id);
    CHECK(r.team == expected.team);
    CHECK(r.double_handed == expected.double_handed);
    CHECK(r.in_bed == expected.in_bed);
    CHECK(r.days_waiting == expected.days_waiting);
    const auto row = columns.row(i);
    CHECK(row.id == k_ids[i]);
    CHECK(row.team == expected.team);
    CHECK(columns.text(row.team_code) == expected.team);
    CHECK(columns.text(row.source_code) == "URTS");
    CHECK(columns.text(row.package_code) == "QDS");
    CHECK(columns.text(row.wait_range_code) == "Waiting 8-14 days");
    CHECK(columns.text(row.visit_slots_code) == "AM, Lunch, Tea, PM");
    CHECK(row.score == 10.0 * i);
    CHECK(row.daily_hours == 4);
    CHECK(row.weekly_hours == 28);
    CHECK(row.days_waiting == static_cast<double>(i + 2));
    CHECK(row.contract == "CRS");
    CHECK(columns.text(row.contract_code) == "CRS");
    CHECK(row.care_type == "Complex");
    CHECK(columns.text(row.care_type_code) == "Complex");
    CHECK(row.visit_mask == 0b1111);
    CHECK(row.double_handed == expected.double_handed);
    CHECK(row.in_bed == expected.in_bed);
  }

  SECTION("appended in pieces to columns that already hold other texts") {
    engine::ReferralColumns joined;
    joined.set_key_sources({Source::score, Source::own_number, Source::id});
    joined.push_back(referral(100, "FIRST-AND-LONGER-THAN-INLINE", "City", 1));
    joined.append(columns, 0, 2);
    joined.append(columns, 2, 2);  // nothing
    joined.append(columns, 2, k_ids.size());
    REQUIRE(joined.size() == k_ids.size() + 1);
    CHECK(joined.id(0) == "FIRST-AND-LONGER-THAN-INLINE");
    CHECK(joined[0].team == "City");
    for (std::size_t i = 0; i < k_ids.size(); ++i) {
      CAPTURE(i);
      CHECK(joined.id(i + 1) == k_ids[i]);
      CHECK(joined.key_text(i + 1, 2) == k_ids[i]);
      CHECK(joined.key_number(i + 1, 1) == static_cast<double>(i + 2));
      CHECK(joined[i + 1].team == columns[i].team);
      CHECK(joined.text(joined.row(i + 1).team_code) == columns[i].team);
    }
  }
}

TEST_CASE("referral columns: erase removes the referrals asked for and keeps the rest in order",
          "[list][columns]") {
  using Source = engine::ReferralColumns::KeySource;
  // Keys of their own (a number and a text each) are removed with their referral.
  engine::ReferralColumns columns;
  columns.set_key_sources({Source::score, Source::own, Source::own});
  for (std::size_t i = 0; i < 8; ++i) {
    engine::Referral r = referral(i + 2, "E" + std::to_string(i), "South", 10.0 * i);
    r.key_numbers = {10.0 * i, 100.0 + i, 200.0 + i};
    r.key_texts = {"", "own " + std::to_string(i), "other " + std::to_string(i)};
    columns.push_back(r);
  }
  const std::vector<std::size_t> removed{0, 3, 4, 7};
  columns.erase(removed);
  const std::vector<std::size_t> kept{1, 2, 5, 6};
  REQUIRE(columns.size() == kept.size());
  for (std::size_t j = 0; j < kept.size(); ++j) {
    const std::size_t i = kept[j];
    CAPTURE(i);
    CHECK(columns.line(j) == i + 2);
    CHECK(columns.id(j) == "E" + std::to_string(i));
    CHECK(columns.key_number(j, 0) == 10.0 * i);
    CHECK(columns.key_number(j, 1) == 100.0 + i);
    CHECK(columns.key_number(j, 2) == 200.0 + i);
    CHECK(columns.key_text(j, 1) == "own " + std::to_string(i));
    CHECK(columns.key_text(j, 2) == "other " + std::to_string(i));
  }
  columns.erase(std::vector<std::size_t>{});
  CHECK(columns.size() == kept.size());
  columns.erase(std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(columns.empty());
}

TEST_CASE("referral columns: appending shifts the lines by what is asked", "[list][columns]") {
  using Source = engine::ReferralColumns::KeySource;
  engine::ReferralColumns block;
  block.set_key_sources({Source::score, Source::own_number, Source::id});
  block.push_back(referral(1, "S1", "South", 1));
  block.push_back(referral(4, "S2", "North", 2));
  engine::ReferralColumns list;
  list.set_key_sources({Source::score, Source::own_number, Source::id});
  list.append(block, 0, 2, 999);
  REQUIRE(list.size() == 2);
  CHECK(list.line(0) == 1000);
  CHECK(list.line(1) == 1003);
  CHECK(list[1].line == 1003);
  CHECK(list.id(1) == "S2");
}

TEST_CASE("referral columns: more distinct texts than 16-bit codes hold", "[list][columns]") {
  using Source = engine::ReferralColumns::KeySource;
  // Codes live in 16 bits until a list has 65,535 distinct texts; past that
  // every referral's codes move to full width, the earlier ones included.
  constexpr std::size_t k_count = 70000;
  const auto team = [](std::size_t i) { return "Team " + std::to_string(i); };
  engine::ReferralColumns block;
  block.set_key_sources({Source::score, Source::own_number, Source::id});
  for (std::size_t i = 0; i < k_count; ++i) {
    block.push_back(referral(i + 2, "W" + std::to_string(i), team(i), 1.0));
  }
  engine::ReferralColumns list;
  list.set_key_sources({Source::score, Source::own_number, Source::id});
  list.push_back(referral(1, "FIRST", "City", 2.0));
  list.append(block, 0, k_count);
  REQUIRE(list.size() == k_count + 1);
  CHECK(list.row(0).team == "City");
  CHECK(list.row(0).package == "QDS");
  for (const std::size_t i :
       {std::size_t{0}, std::size_t{1}, std::size_t{65533}, std::size_t{65534}, std::size_t{65535},
        std::size_t{65536}, k_count - 1}) {
    CAPTURE(i);
    CHECK(block.row(i).team == team(i));
    CHECK(block[i].team == team(i));
    CHECK(block.row(i).visit_slots == "AM, Lunch, Tea, PM");
    CHECK(list.row(i + 1).team == team(i));
    CHECK(list.text(list.row(i + 1).team_code) == team(i));
    CHECK(list.row(i + 1).source == "URTS");
  }
  // Erasing keeps each referral's codes with it at full width too.
  std::vector<std::size_t> removed;
  for (std::size_t i = 0; i < k_count; i += 2) {
    removed.push_back(i);
  }
  block.erase(removed);
  REQUIRE(block.size() == k_count / 2);
  for (const std::size_t j :
       {std::size_t{0}, std::size_t{32767}, std::size_t{32768}, k_count / 2 - 1}) {
    CAPTURE(j);
    CHECK(block.row(j).team == team(2 * j + 1));
    CHECK(block.id(j) == "W" + std::to_string(2 * j + 1));
  }
}

TEST_CASE("text codes: each distinct text has one code, and the code gives the text back",
          "[list][columns]") {
  engine::detail::TextCodes codes;
  std::vector<std::string> texts{
      "", "South", "south", "South ", std::string("a\0b", 3), std::string("a\0c", 3)};
  // Texts alike in their first eight or sixteen bytes, and many of them, so
  // the table grows several times.
  for (int i = 0; i < 5000; ++i) {
    texts.push_back("Waiting 29 days + " + std::to_string(i));
    texts.push_back("Waiting " + std::to_string(i));
  }
  std::vector<std::uint32_t> first;
  for (const auto& text : texts) {
    first.push_back(codes.code(text));
  }
  REQUIRE(codes.size() == texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    CAPTURE(i);
    CHECK(first[i] == i);  // codes count up from 0 in the order first seen
    CHECK(codes.text(first[i]) == texts[i]);
  }
  // Asked again, in another order: the same codes, and no new ones.
  for (std::size_t i = texts.size(); i-- > 0;) {
    CHECK(codes.code(texts[i]) == first[i]);
  }
  CHECK(codes.size() == texts.size());
}
