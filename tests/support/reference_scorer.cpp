// Deliberately plain: every rule of protocol.md as an if or a lookup, no data files.
#include <tests/support/reference_scorer.hpp>

#include <algorithm>

namespace tests {

long days_from_civil(CivilDate date) {
  const int y = date.month <= 2 ? date.year - 1 : date.year;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long mp = (date.month + 9) % 12;
  const long doy = (153 * mp + 2) / 5 + date.day - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(long days) {
  days += 719468;
  const long era = (days >= 0 ? days : days - 146096) / 146097;
  const long doe = days - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

std::optional<ReferenceScore> reference_score(const std::string& source,
                                              const std::string& mobility, CivilDate referral,
                                              CivilDate as_of) {
  ReferenceScore s{};
  s.days_waiting = days_from_civil(as_of) - days_from_civil(referral);
  if (s.days_waiting < 0) {
    return std::nullopt;
  }
  const bool sdec = source == "URTS" || source == "FIT" || source == "EAU";
  s.sdec_weighting = sdec ? 5 : 3;
  s.sdec_los_bonus = sdec ? 3 : 0;
  if (s.days_waiting == 0) {
    s.los = 0;
  } else if (s.days_waiting <= 14) {
    s.los = 1;
  } else if (s.days_waiting <= 21) {
    s.los = 3;
  } else {
    s.los = 4;
  }
  s.los_total = s.los + s.sdec_los_bonus;
  s.los_score = std::max(s.los, s.sdec_los_bonus);
  if (mobility == "Independent with mobility") {
    s.mobility_score = 0;
  } else if (mobility == "Mobile with 1 staff") {
    s.mobility_score = 1;
  } else if (mobility == "Mobile with 2 staff") {
    s.mobility_score = 2;
  } else if (mobility == "Immobile/Hoist") {
    s.mobility_score = 3;
  } else {
    return std::nullopt;
  }
  s.prioritisation_score = s.sdec_weighting * (s.los_score + s.mobility_score);
  if (s.days_waiting <= 7) {
    s.low_range = "Waiting 0-7 days";
  } else if (s.days_waiting <= 14) {
    s.low_range = "Waiting 8-14 days";
  } else if (s.days_waiting <= 21) {
    s.low_range = "Waiting 15-21 days";
  } else if (s.days_waiting <= 28) {
    s.low_range = "Waiting 22-28 days";
  } else {
    s.low_range = "Waiting 29 days +";
  }
  return s;
}

}  // namespace tests
