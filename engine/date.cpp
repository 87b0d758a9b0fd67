// Tested by tests/unit/test_date.cpp.
// The shape of the text (which digits are day, month and year) is checked here,
// strictly, because Boost's own string parsers accept far more than a referral
// file should (month names, two-digit years, any separator). Whether the day
// exists, and the day number, come from boost::gregorian::date.
#include <engine/date.hpp>
#include <engine/text.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <cctype>
#include <cstdio>

namespace engine {

namespace {

// Reads 1..max_digits digits at `pos`; advances pos.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t min_digits,
                               std::size_t max_digits) {
  int value = 0;
  std::size_t count = 0;
  while (pos < text.size() && count < max_digits &&
         std::isdigit(static_cast<unsigned char>(text[pos]))) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++count;
  }
  if (count < min_digits) {
    return std::nullopt;
  }
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// A time of day may follow the date: " 09:30", " 09:30:00", "T09:30:00".
bool is_time_suffix(std::string_view rest) {
  if (rest.empty()) {
    return true;
  }
  if (rest.front() != ' ' && rest.front() != 'T') {
    return false;
  }
  rest = trim(rest.substr(1));
  std::size_t pos = 0;
  const auto hour = read_digits(rest, pos, 1, 2);
  const auto minute = expect(rest, pos, ':') ? read_digits(rest, pos, 2, 2) : std::nullopt;
  if (!hour || !minute || *hour > 23 || *minute > 59) {
    return false;
  }
  if (expect(rest, pos, ':')) {
    const auto second = read_digits(rest, pos, 2, 2);
    if (!second || *second > 59) {
      return false;
    }
  }
  return pos == rest.size();
}

}  // namespace

std::optional<Date> make_date(int year, int month, int day) {
  // Boost takes unsigned shorts: check the range before the cast can wrap.
  if (year < 1400 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  try {
    const boost::gregorian::date date(static_cast<unsigned short>(year),
                                      static_cast<unsigned short>(month),
                                      static_cast<unsigned short>(day));
    return Date{static_cast<std::int64_t>(date.day_number())};
  } catch (const std::out_of_range&) {
    return std::nullopt;
  }
}

std::optional<Date> parse_date(std::string_view text) {
  text = trim(text);
  std::size_t pos = 0;
  std::optional<int> year, month, day;
  if (text.size() >= 5 && text[4] == '-') {
    year = read_digits(text, pos, 4, 4);
    month = expect(text, pos, '-') ? read_digits(text, pos, 2, 2) : std::nullopt;
    day = expect(text, pos, '-') ? read_digits(text, pos, 2, 2) : std::nullopt;
  } else {
    day = read_digits(text, pos, 1, 2);
    month = expect(text, pos, '/') ? read_digits(text, pos, 1, 2) : std::nullopt;
    year = expect(text, pos, '/') ? read_digits(text, pos, 4, 4) : std::nullopt;
  }
  if (!year || !month || !day || !is_time_suffix(text.substr(pos))) {
    return std::nullopt;
  }
  return make_date(*year, *month, *day);
}

std::string to_iso(Date date) {
  const boost::gregorian::date value(
      static_cast<boost::gregorian::date::date_int_type>(date.day_number));
  const auto ymd = value.year_month_day();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", static_cast<int>(ymd.year),
                static_cast<int>(ymd.month), static_cast<int>(ymd.day));
  return buffer;
}

Date today() {
  const auto now = boost::gregorian::day_clock::local_day();
  return Date{static_cast<std::int64_t>(now.day_number())};
}

}  // namespace engine
