// Matching the ranked list against capacity: who can be picked up now and, for
// everyone else, what blocks them. A referral needs one carer visit in each of
// its slots (two when double handed) and its weekly hours (doubled when double
// handed) from its own team's capacity.
#pragma once

#include <engine/capacity.hpp>
#include <engine/rule_set.hpp>
#include <engine/waiting_list.hpp>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

enum class CapacityPolicy {
  fill,    // skip a referral that does not fit and go on down the list
  strict,  // stop at the first that does not fit: nobody jumps the queue
};

enum class PickUpStatus : std::uint8_t {
  can_pick_up,  // fits the capacity left
  blocked,      // does not fit; `reason` says what is missing
  held_back,    // strict policy: waits behind a blocked referral of its team
  unmatched,    // no capacity was given, or none for its team
};

// One line of the list: 24 bytes, as a region's list can hold millions.
struct PickUpLine {
  std::uint32_t rank = 0;      // 1-based position in the list
  std::uint32_t referral = 0;  // index into WaitingList::referrals
  PickUpStatus status = PickUpStatus::unmatched;
  std::string_view
      reason;  // why not, in words ("no PM double-handed visit free"); kept by the plan
};

struct PickUpPlan {
  PickUpPlan() = default;
  // Moved, never copied: the lines' reasons point into the plan's own texts.
  PickUpPlan(PickUpPlan&&) = default;
  PickUpPlan& operator=(PickUpPlan&&) = default;
  PickUpPlan(const PickUpPlan&) = delete;
  PickUpPlan& operator=(const PickUpPlan&) = delete;

  // Keeps a reason's text (once, however many lines give it) for a line to point at.
  std::string_view keep(std::string reason) { return *reasons.insert(std::move(reason)).first; }

  std::vector<PickUpLine> lines;        // in rank order
  std::vector<TeamCapacity> remaining;  // capacity left after the pick-ups
  std::size_t can_pick_up = 0;
  std::set<std::string, std::less<>> reasons;
};

// Works down `order` (from rank_order) allocating capacity. With no capacity,
// every line is unmatched and the plan is only the ranked list.
PickUpPlan plan_pick_ups(const RuleSet& rules, const WaitingList& list,
                         const std::vector<std::size_t>& order, const CapacityPlan* capacity,
                         CapacityPolicy policy);

struct RankRequest {
  WaitingListRequest list;                 // the file, rules, as-of date and team
  const CapacityPlan* capacity = nullptr;  // optional
  CapacityPolicy policy = CapacityPolicy::fill;
};

// How long each step of making a list took, in seconds of wall time: where a
// long run's time went, for -v.
struct RankTimings {
  double read = 0;   // reading and scoring every row
  double order = 0;  // sorting by the rule set's order
  double plan = 0;   // matching against capacity
};

struct RankedList {
  WaitingList list;
  PickUpPlan plan;
  RankTimings timings;
};

// The team lead's pick-up list: the file read and scored, ranked by the rule
// set's order and matched against capacity. Throws as read_waiting_list does.
RankedList rank_waiting_list(const RankRequest& request, std::istream& input);
// The same for input held in memory (read by several threads).
RankedList rank_waiting_list(const RankRequest& request, const InputBytes& input);

}  // namespace engine
