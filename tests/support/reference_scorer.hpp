// The published protocol written out in the plainest possible C++, for tests
// only: an independent second implementation that the rules-driven engine (and
// the default rule file) must agree with. Never linked into the program.
#pragma once

#include <optional>
#include <string>

namespace tests {

struct CivilDate {
  int year;
  int month;
  int day;
};

struct ReferenceScore {
  long days_waiting;
  int sdec_weighting;
  int sdec_los_bonus;
  int los_score;
  int los_total;
  int los;
  int mobility_score;
  int prioritisation_score;
  std::string low_range;
};

// Scores one referral by the October 2019 protocol (shared/spec/protocol.md).
// nullopt if the mobility is not one of the four published values or the
// referral date is after as_of.
std::optional<ReferenceScore> reference_score(const std::string& source,
                                              const std::string& mobility, CivilDate referral,
                                              CivilDate as_of);

// Days since 1970-01-01 (proleptic Gregorian), by Howard Hinnant's
// days_from_civil: independent of Boost, which the engine uses.
long days_from_civil(CivilDate date);
// The inverse: Hinnant's civil_from_days.
CivilDate civil_from_days(long days);

}  // namespace tests
