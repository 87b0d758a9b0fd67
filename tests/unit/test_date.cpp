// Tests for engine/date.cpp: the date shapes referral files use, dates that do not
// exist, day counts across month, year and leap-day boundaries (worked out by hand),
// and to_iso.
#include <engine/date.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

using engine::Date;
using engine::days_between;
using engine::make_date;
using engine::parse_date;
using engine::to_iso;

namespace {

// The date `text` parses to, as yyyy-mm-dd, or "invalid".
std::string parsed(const std::string& text) {
  const auto date = parse_date(text);
  return date ? to_iso(*date) : "invalid";
}

Date date_of(const std::string& text) {
  const auto date = parse_date(text);
  REQUIRE(date.has_value());
  return *date;
}

}  // namespace

TEST_CASE("parse_date: accepts dd/mm/yyyy, d/m/yyyy and yyyy-mm-dd", "[date]") {
  const std::pair<std::string, std::string> cases[] = {
      {"16/12/2019", "2019-12-16"},     {"06/01/2019", "2019-01-06"},
      {"6/1/2019", "2019-01-06"},       {"1/12/2019", "2019-12-01"},
      {"31/12/2019", "2019-12-31"},     {"2019-12-16", "2019-12-16"},
      {"2019-01-06", "2019-01-06"},     {"29/02/2020", "2020-02-29"},
      {"29/02/2000", "2000-02-29"},     {"2020-02-29", "2020-02-29"},
      {"  16/12/2019  ", "2019-12-16"}, {"\t2019-12-16\r\n", "2019-12-16"},
  };
  for (const auto& [text, iso] : cases) {
    CAPTURE(text);
    CHECK(parsed(text) == iso);
  }
}

TEST_CASE("parse_date: ignores a time of day after the date", "[date]") {
  const std::pair<std::string, std::string> cases[] = {
      {"16/12/2019 09:30", "2019-12-16"},      {"16/12/2019 09:30:00", "2019-12-16"},
      {"16/12/2019 9:30", "2019-12-16"},       {"2019-12-16T09:30:00", "2019-12-16"},
      {"2019-12-16 09:30", "2019-12-16"},      {"2019-12-16T09:30", "2019-12-16"},
      {" 16/12/2019 23:59:59 ", "2019-12-16"},
  };
  for (const auto& [text, iso] : cases) {
    CAPTURE(text);
    CHECK(parsed(text) == iso);
  }
}

TEST_CASE("parse_date: rejects days that do not exist", "[date]") {
  for (const std::string text :
       {"31/02/2019", "29/02/2019", "29/02/1900", "30/02/2020", "31/04/2019", "32/01/2019",
        "00/01/2019", "16/00/2019", "16/13/2019", "2019-02-29", "2019-13-01", "2019-12-00"}) {
    CAPTURE(text);
    CHECK(parsed(text) == "invalid");
  }
}

TEST_CASE("parse_date: rejects any other shape", "[date]") {
  for (const std::string text : {"",
                                 "   ",
                                 "16/12/19",
                                 "16-12-2019",
                                 "16.12.2019",
                                 "16/12/2019x",
                                 "16/12/2019 x",
                                 "16/12/2019 09",
                                 "16/12/2019 09:3",
                                 "2019/12/16",
                                 "2019-1-6",
                                 "2019-12-16x",
                                 "016/12/2019",
                                 "16/012/2019",
                                 "16/12/02019",
                                 "16 Dec 2019",
                                 "Dec 16, 2019",
                                 "16/12",
                                 "16//2019",
                                 "/12/2019",
                                 "12/16/2019",
                                 "20191216",
                                 "+16/12/2019"}) {
    CAPTURE(text);
    CHECK(parsed(text) == "invalid");
  }
}

TEST_CASE("parse_date: keeps to the Gregorian years Boost supports", "[date]") {
  CHECK(parsed("01/01/1400") == "1400-01-01");
  CHECK(parsed("31/12/9999") == "9999-12-31");
  CHECK(parsed("31/12/1399") == "invalid");
}

TEST_CASE("make_date: makes existing days only", "[date]") {
  REQUIRE(make_date(2019, 12, 16).has_value());
  CHECK(make_date(2019, 12, 16) == parse_date("16/12/2019"));
  CHECK(to_iso(*make_date(2020, 2, 29)) == "2020-02-29");
  CHECK_FALSE(make_date(2019, 2, 29).has_value());
  CHECK_FALSE(make_date(2019, 13, 1).has_value());
  CHECK_FALSE(make_date(2019, 0, 1).has_value());
  CHECK_FALSE(make_date(2019, 1, 0).has_value());
  CHECK_FALSE(make_date(2019, 4, 31).has_value());
}

TEST_CASE("make_date: out-of-range numbers do not wrap round to a real day", "[date]") {
  // Boost takes unsigned shorts: without a range check 67555 would wrap round to 2019.
  CHECK_FALSE(make_date(2019 + 65536, 12, 16).has_value());
  CHECK_FALSE(make_date(2019, 12 + 65536, 16).has_value());
  CHECK_FALSE(make_date(2019, 12, 16 + 65536).has_value());
  CHECK_FALSE(make_date(-1, 12, 16).has_value());
}

TEST_CASE("days_between: counts across month, year and leap-day boundaries", "[date]") {
  struct Case {
    std::string from;
    std::string to;
    std::int64_t days;
  };
  const Case cases[] = {
      {"16/12/2019", "16/12/2019", 0},
      {"21/11/2019", "16/12/2019", 25},  // 9 more days of November, then 16
      {"16/12/2019", "21/11/2019", -25},
      {"31/01/2019", "01/02/2019", 1},
      {"30/11/2019", "01/12/2019", 1},
      {"31/12/2019", "01/01/2020", 1},
      {"25/12/2019", "05/01/2020", 11},  // 6 to the end of 2019, then 5
      {"28/02/2019", "01/03/2019", 1},
      {"28/02/2020", "01/03/2020", 2},  // 29/02/2020 between
      {"28/02/1900", "01/03/1900", 1},  // 1900 is not a leap year
      {"28/02/2000", "01/03/2000", 2},  // 2000 is
      {"01/01/2019", "01/01/2020", 365},
      {"01/01/2020", "01/01/2021", 366},
      {"01/03/2019", "01/03/2020", 366},
      {"01/03/2020", "01/03/2021", 365},
      {"01/01/2000", "16/12/2019", 7289},  // 19 * 365 + 5 leap days + 349
      {"2019-11-21", "16/12/2019 09:30", 25},
  };
  for (const auto& c : cases) {
    CAPTURE(c.from, c.to);
    CHECK(days_between(date_of(c.from), date_of(c.to)) == c.days);
  }
}

TEST_CASE("Date: compares in calendar order", "[date]") {
  CHECK(date_of("21/11/2019") < date_of("16/12/2019"));
  CHECK(date_of("31/12/2019") < date_of("01/01/2020"));
  CHECK(date_of("16/12/2019") == date_of("2019-12-16"));
  CHECK(date_of("16/12/2019") != date_of("17/12/2019"));
}

TEST_CASE("to_iso: writes yyyy-mm-dd with leading zeros", "[date]") {
  CHECK(to_iso(date_of("6/1/2019")) == "2019-01-06");
  CHECK(to_iso(date_of("16/12/2019")) == "2019-12-16");
  CHECK(to_iso(date_of("1/1/1400")) == "1400-01-01");
  CHECK(to_iso(date_of("31/12/9999")) == "9999-12-31");
}

TEST_CASE("today: a real day after the published scenario's date", "[date]") {
  const Date now = engine::today();
  CHECK(days_between(date_of("16/12/2019"), now) > 0);
  CHECK(parse_date(to_iso(now)) == now);
}
