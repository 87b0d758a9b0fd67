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
#include <map>
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

// One line of the list: 16 bytes, as a region's list can hold millions. Its
// reason is a code for one of the plan's texts (a few dozen a list), where a
// view of it would take 16 bytes of its own.
struct PickUpLine {
  std::uint32_t rank = 0;         // 1-based position in the list
  std::uint32_t referral = 0;     // index into WaitingList::referrals
  std::uint32_t reason_code = 0;  // PickUpPlan::reason gives it in words; 0 is none
  PickUpStatus status = PickUpStatus::unmatched;
};
static_assert(sizeof(PickUpLine) == 16);

struct PickUpPlan {
  // Keeps a reason's text, once however many lines give it, and returns the
  // code a line holds for it; an empty text (nothing stops the line) is 0.
  std::uint32_t keep(std::string reason);
  // Why a line cannot be picked up now, in words ("no PM double-handed visit
  // free"); empty when nothing stops it.
  std::string_view reason(const PickUpLine& line) const { return m_reasons[line.reason_code]; }

  std::vector<PickUpLine> lines;        // in rank order
  std::vector<TeamCapacity> remaining;  // capacity left after the pick-ups
  std::size_t can_pick_up = 0;

 private:
  std::vector<std::string> m_reasons{std::string()};  // by code; 0 is no reason
  std::map<std::string, std::uint32_t, std::less<>> m_codes;
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
