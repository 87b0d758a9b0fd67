// The snapshot a system chief operating officer reviews: how many wait, how
// long, in which band, for how many hours of care, how many from hospital beds,
// and whether capacity can clear the list. Computed here; rendered by
// engine/summary_report.hpp.
#pragma once

#include <engine/capacity.hpp>
#include <engine/rule_set.hpp>
#include <engine/waiting_list.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace engine {

struct SummaryRequest {
  const RuleSet* rules = nullptr;     // required
  const WaitingList* list = nullptr;  // required
  // rank_order of list->referrals: required with a capacity, unused without.
  const std::vector<std::size_t>* order = nullptr;
  const CapacityPlan* capacity = nullptr;  // optional: visits free, who fits now
  std::optional<double> pickups_per_week;  // optional: for weeks to clear, > 0
  // The team the list was read for (empty: every team). Visits free are then
  // that team's alone.
  std::string team;
};

// How many referrals, and the weekly hours of care they need.
struct Tally {
  std::size_t count = 0;
  double weekly_hours = 0;
};

// One value of a grouping (a care type, a referral source...) and its tally.
struct GroupTally {
  std::string name;
  Tally tally;
};

// One team's referrals by length of wait.
struct TeamWaits {
  std::string team;
  std::vector<Tally> by_wait;  // one per Summary::wait_ranges, in that order
  Tally total;
};

struct PackageTally {
  std::string package;
  Tally single_handed;
  Tally double_handed;
};

// How long one group (a contract, or the whole list) has waited, in days.
struct WaitFigures {
  std::string name;
  Tally tally;
  double median_days = 0;  // the mean of the two middle values when the count is even
  double p90_days = 0;     // nearest rank: the smallest value with >= 90% at or below it
  double longest_days = 0;
};

struct SlotVisits {
  std::string slot;
  long needed = 0;  // one visit per referral in the slot, two when double handed
  long free = 0;    // in the capacity file (the selected team's, or every team's)

  long shortfall() const { return needed > free ? needed - free : 0; }
};

struct WeeksToClear {
  double pickups_per_week = 0;
  std::size_t people = 0;  // everyone waiting: scored and cannot-be-scored alike
  std::size_t weeks = 0;   // whole weeks: ceil(people / pickups_per_week)
};

struct Summary {
  std::string input;
  std::string team;                      // the team filter, or empty
  std::size_t rows_read = 0;             // of the file, before any team filter
  Tally total;                           // every scored referral
  std::vector<std::string> wait_ranges;  // in the rule set's band order
  std::vector<TeamWaits> by_team;        // sorted by team name
  std::vector<Tally> wait_totals;        // per wait range, every team
  std::vector<GroupTally> by_care_type;  // in the rule set's order where it has one
  std::vector<PackageTally> by_package;  // likewise
  std::vector<WaitFigures> by_contract;  // likewise
  WaitFigures all_waits;                 // the whole list, named "All"
  std::vector<GroupTally> by_source;     // most referrals first, then by name
  Tally in_bed;                          // waiting in a hospital or care bed
  double bed_days = 0;                   // the days those people have waited so far
  bool has_capacity = false;
  std::vector<SlotVisits> visits;   // one per rule-set visit slot, when has_capacity
  std::size_t can_pick_up_now = 0;  // plan_pick_ups with the fill policy, when has_capacity
  std::optional<WeeksToClear> weeks_to_clear;
  std::vector<UnscorableReferral> needs_attention;  // "cannot be scored", in input order
};

// The median of `values` (the mean of the two middle ones for an even count);
// 0 for none. Takes a copy because it sorts.
double median(std::vector<double> values);
// The nearest-rank percentile (0 < percent <= 100): the smallest value with at
// least `percent`% of the values at or below it; 0 for none.
double nearest_rank_percentile(std::vector<double> values, int percent);

// Computes every figure of the summary. Throws ConfigError if pickups_per_week
// is given and not positive.
Summary summarise_waiting_list(const SummaryRequest& request);

}  // namespace engine
