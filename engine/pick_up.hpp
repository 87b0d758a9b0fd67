// Matching the ranked list against capacity: who can be picked up now and, for
// everyone else, what blocks them. A referral needs one carer visit in each of
// its slots (two when double handed) and its weekly hours (doubled when double
// handed) from its own team's capacity.
#pragma once

#include <engine/capacity.hpp>
#include <engine/rule_set.hpp>
#include <engine/waiting_list.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace engine {

enum class CapacityPolicy {
  fill,    // skip a referral that does not fit and go on down the list
  strict,  // stop at the first that does not fit: nobody jumps the queue
};

enum class PickUpStatus {
  can_pick_up,  // fits the capacity left
  blocked,      // does not fit; `reason` says what is missing
  held_back,    // strict policy: waits behind a blocked referral of its team
  unmatched,    // no capacity was given, or none for its team
};

struct PickUpLine {
  std::size_t rank = 0;      // 1-based position in the list
  std::size_t referral = 0;  // index into WaitingList::referrals
  PickUpStatus status = PickUpStatus::unmatched;
  std::string reason;  // why not, in words ("no PM double-handed visit free")
};

struct PickUpPlan {
  std::vector<PickUpLine> lines;        // in rank order
  std::vector<TeamCapacity> remaining;  // capacity left after the pick-ups
  std::size_t can_pick_up = 0;
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

struct RankedList {
  WaitingList list;
  PickUpPlan plan;
};

// The team lead's pick-up list: the file read and scored, ranked by the rule
// set's order and matched against capacity. Throws as read_waiting_list does.
RankedList rank_waiting_list(const RankRequest& request, std::istream& input);
// The same for input held in memory (read by several threads).
RankedList rank_waiting_list(const RankRequest& request, const InputBytes& input);

}  // namespace engine
