// Calendar dates as the referral files write them: dd/mm/yyyy (UK spreadsheets)
// or yyyy-mm-dd (ISO exports). Validity and day arithmetic come from Boost.Date_Time;
// this header keeps Boost out of every caller.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace engine {

// A day in the Gregorian calendar, as a day count (so subtraction is days).
struct Date {
  std::int64_t day_number = 0;

  auto operator<=>(const Date&) const = default;
};

// Makes a date from year, month and day; nullopt if there is no such day.
std::optional<Date> make_date(int year, int month, int day);

// Parses "dd/mm/yyyy" (day and month may have one digit) or "yyyy-mm-dd", after
// trimming spaces; a time of day after the date ("16/12/2019 09:30") is allowed and
// ignored. nullopt for any other shape or for a day that does not exist (31/02/2019).
std::optional<Date> parse_date(std::string_view text);

// "yyyy-mm-dd".
std::string to_iso(Date date);

// Days from `from` to `to` (negative when `to` is earlier).
inline std::int64_t days_between(Date from, Date to) {
  return to.day_number - from.day_number;
}

// Today's date in the machine's local time zone.
Date today();

}  // namespace engine
