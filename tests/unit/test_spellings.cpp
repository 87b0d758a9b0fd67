// Tests for engine/detail/spellings.hpp: a text finds what was kept for exactly
// that text, never for another that shares its length, its ends or its place.
#include <engine/detail/spellings.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using engine::detail::Spellings;

TEST_CASE("Spellings: finds what was kept for a text, and nothing for others", "[spellings]") {
  Spellings<int> spellings;
  CHECK(spellings.find("AM, PM") == nullptr);
  spellings.keep("AM, PM", 5);
  spellings.keep("", 7);
  REQUIRE(spellings.find("AM, PM") != nullptr);
  CHECK(*spellings.find("AM, PM") == 5);
  CHECK(*spellings.find("") == 7);
  CHECK(spellings.find("AM, Pm") == nullptr);
  CHECK(spellings.find("AM, PM ") == nullptr);
  CHECK(spellings.find("AM,") == nullptr);
}

TEST_CASE("Spellings: texts alike at both ends differ in the middle", "[spellings]") {
  // Past 16 bytes the key is the length and the first and last eight bytes:
  // the whole text decides.
  Spellings<int> spellings;
  const std::string a = "Mobile with 1 staff, as assessed";
  const std::string b = "Mobile with 2 staff, as assessed";
  spellings.keep(a, 1);
  CHECK(spellings.find(b) == nullptr);
  spellings.keep(b, 2);
  CHECK(*spellings.find(b) == 2);
  // Between 8 and 16 bytes the two words overlap and cover every byte.
  spellings.keep("21/02/2020", 10);
  CHECK(spellings.find("21/03/2020") == nullptr);
  CHECK(spellings.find("21/02/2021") == nullptr);
  CHECK(*spellings.find("21/02/2020") == 10);
}

TEST_CASE("Spellings: short texts are told apart by every byte", "[spellings]") {
  const std::vector<std::string> texts = {
      "a",    "b",    "No",   "NO",     "Yes",    "Yas", "QDS",   "QDT",    "CRS",    "URTS",
      "URTT", "VRTS", "HDRS", "AM, PM", "AM; PM", "Tea", "Lunch", "Lunch!", "1234567"};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    Spellings<int> spellings;
    spellings.keep(texts[i], 1);
    for (std::size_t j = 0; j < texts.size(); ++j) {
      CAPTURE(texts[i], texts[j]);
      CHECK((spellings.find(texts[j]) != nullptr) == (i == j));
    }
  }
}

TEST_CASE("Spellings: many texts, each found with its own value or not at all", "[spellings]") {
  // Far more texts than places: a text gives way, but is never found with
  // another text's value.
  Spellings<std::size_t> spellings;
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < 2000; ++i) {
    texts.push_back(std::to_string(i % 28 + 1) + "/" + std::to_string(i % 12 + 1) + "/" +
                    std::to_string(2000 + i / 336) + (i % 3 == 0 ? " with a longer tail" : ""));
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    spellings.keep(texts[i], i);
  }
  std::set<std::string> found;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (const std::size_t* value = spellings.find(texts[i])) {
      CHECK(texts[*value] == texts[i]);
      found.insert(texts[i]);
    }
  }
  CHECK(found.size() > 50);    // the last ones kept are still there
  CHECK(found.size() <= 128);  // the places there are
  CHECK(*spellings.find(texts.back()) == texts.size() - 1);
}

TEST_CASE("Spellings: 512 places keep most of four months' dates in both spellings",
          "[spellings]") {
  // The scorer's dates (referral dates over the 120 days before the as-of
  // date, as dd/mm/yyyy and yyyy-mm-dd) are 240 spellings: more than 128
  // places can hold, so it asks for 512.
  std::vector<std::string> texts;
  for (int month = 1; month <= 4; ++month) {
    for (int day = 1; day <= 30; ++day) {
      const std::string dd = (day < 10 ? "0" : "") + std::to_string(day);
      const std::string mm = "0" + std::to_string(month);
      texts.push_back(dd + "/" + mm + "/2020");
      texts.push_back("2020-" + mm + "-" + dd);
    }
  }
  Spellings<std::size_t, 9> wide;
  Spellings<std::size_t> narrow;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    wide.keep(texts[i], i);
    narrow.keep(texts[i], i);
  }
  std::size_t wide_found = 0;
  std::size_t narrow_found = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (const std::size_t* value = wide.find(texts[i])) {
      CHECK(*value == i);
      ++wide_found;
    }
    narrow_found += narrow.find(texts[i]) != nullptr ? 1 : 0;
  }
  CHECK(wide_found >= 200);
  CHECK(narrow_found <= 128);
}
