// Tested by tests/unit/test_pick_up.cpp.
// One pass down the ranked list, taking each referral's visits and hours from
// its own team's remaining capacity. Under `strict`, the first referral of a
// team that does not fit stops that team's list: everyone after it is held back,
// even if they would fit, so nobody jumps the queue.
#include <engine/errors.hpp>
#include <engine/pick_up.hpp>
#include <engine/ranking.hpp>
#include <engine/text.hpp>

#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

namespace engine {

namespace {

// "AM", "AM or PM", "AM, Tea or PM".
std::string or_list(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) {
      text += i + 1 == items.size() ? " or " : ", ";
    }
    text += items[i];
  }
  return text;
}

// What keeps `referral` from fitting in `capacity`; empty when it fits.
std::string what_blocks(const RuleSet& rules, const ReferralColumns::Row& referral,
                        const TeamCapacity& capacity) {
  const int carers = referral.double_handed ? 2 : 1;
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < rules.visit_slots.size(); ++i) {
    if ((referral.visit_mask & (1U << i)) != 0 && capacity.visits_free[i] < carers) {
      missing.push_back(rules.visit_slots[i]);
    }
  }
  std::vector<std::string> reasons;
  if (!missing.empty()) {
    reasons.push_back("no " + or_list(missing) + (referral.double_handed ? " double-handed" : "") +
                      " visit free");
  }
  const double hours = referral.weekly_hours * carers;
  if (capacity.weekly_hours && hours > *capacity.weekly_hours) {
    reasons.push_back("weekly hours budget spent (needs " + format_number(hours) + " h, " +
                      format_number(*capacity.weekly_hours) + " h left)");
  }
  return join(reasons, "; ");
}

void take(const ReferralColumns::Row& referral, TeamCapacity& capacity) {
  const int carers = referral.double_handed ? 2 : 1;
  for (std::size_t i = 0; i < capacity.visits_free.size(); ++i) {
    if ((referral.visit_mask & (1U << i)) != 0) {
      capacity.visits_free[i] -= carers;
    }
  }
  if (capacity.weekly_hours) {
    *capacity.weekly_hours -= referral.weekly_hours * carers;
  }
}

}  // namespace

std::uint32_t PickUpPlan::keep(std::string reason) {
  if (reason.empty()) {
    return 0;  // no reason is code 0, on every line that has none
  }
  const auto known = m_codes.find(reason);
  if (known != m_codes.end()) {
    return known->second;
  }
  const auto code = static_cast<std::uint32_t>(m_reasons.size());
  m_reasons.push_back(reason);
  m_codes.emplace(std::move(reason), code);
  return code;
}

PickUpPlan plan_pick_ups(const RuleSet& rules, const WaitingList& list,
                         const std::vector<std::size_t>& order, const CapacityPlan* capacity,
                         CapacityPolicy policy) {
  PickUpPlan plan;
  if (capacity == nullptr) {
    // Only the ranked list: nothing to match against, nothing to read.
    plan.lines.reserve(order.size());
    for (std::size_t position = 0; position < order.size(); ++position) {
      plan.lines.push_back({static_cast<std::uint32_t>(position + 1),
                            static_cast<std::uint32_t>(order[position]), 0,
                            PickUpStatus::unmatched});
    }
    return plan;
  }
  // The teams left, in the capacity file's order: a team's index is the same
  // in both.
  plan.remaining = capacity->teams;
  // A list of millions names a few teams: which team each distinct team text
  // is (or the reason it has none) is worked out once.
  struct TeamOfText {
    bool known = false;
    std::optional<std::size_t> team;  // index into plan.remaining
    std::uint32_t no_capacity = 0;    // the reason's code
  };
  const ReferralColumns& referrals = list.referrals;
  std::vector<TeamOfText> teams(referrals.text_count());
  // Per team, under strict: the reason given to everyone after the first that
  // did not fit (0 while none has).
  std::vector<std::uint32_t> held_back(plan.remaining.size(), 0);
  // What blocks a referral depends on its slots, carers and hours and on its
  // team's capacity left: kept per team until that team takes someone (the
  // reason's code; 0 when it fits).
  using Need = std::tuple<std::uint32_t, bool, double>;
  std::vector<std::map<Need, std::uint32_t>> blocked(plan.remaining.size());
  plan.lines.reserve(order.size());
  for (std::size_t position = 0; position < order.size(); ++position) {
    const ReferralColumns::Row referral = referrals.row(order[position]);
    PickUpLine line{static_cast<std::uint32_t>(position + 1),
                    static_cast<std::uint32_t>(order[position]), 0, PickUpStatus::unmatched};
    TeamOfText& of = teams[referral.team_code];
    if (!of.known) {
      of.known = true;
      if (const TeamCapacity* team = capacity->find(referral.team)) {
        of.team = static_cast<std::size_t>(team - capacity->teams.data());
      } else {
        of.no_capacity = plan.keep("no capacity stated for team " + quote(referral.team));
      }
    }
    if (!of.team) {
      line.reason_code = of.no_capacity;
    } else if (held_back[*of.team] != 0) {
      line.status = PickUpStatus::held_back;
      line.reason_code = held_back[*of.team];
    } else {
      TeamCapacity& team = plan.remaining[*of.team];
      auto& known_blocks = blocked[*of.team];
      const Need need{referral.visit_mask, referral.double_handed, referral.weekly_hours};
      auto found = known_blocks.find(need);
      if (found == known_blocks.end()) {
        found = known_blocks.emplace(need, plan.keep(what_blocks(rules, referral, team))).first;
      }
      if (found->second != 0) {
        line.reason_code = found->second;
        line.status = PickUpStatus::blocked;
        if (policy == CapacityPolicy::strict) {
          held_back[*of.team] = plan.keep("waits behind rank " + std::to_string(line.rank) +
                                          ", which does not fit (strict policy)");
        }
      } else {
        line.status = PickUpStatus::can_pick_up;
        take(referral, team);
        known_blocks.clear();  // the team's capacity has changed
        ++plan.can_pick_up;
      }
    }
    plan.lines.push_back(line);
  }
  return plan;
}

namespace {

// Seconds since `start`, for RankTimings.
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <typename Input>
RankedList rank_list(const RankRequest& request, Input& input) {
  auto start = std::chrono::steady_clock::now();
  RankedList ranked;
  ranked.list = read_waiting_list(request.list, input);
  ranked.timings.read = seconds_since(start);
  if (ranked.list.referrals.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw InputError({ranked.list.source_name},
                     "more than 4,294,967,294 referrals: too many to rank");
  }
  const RuleSet& rules = *request.list.rules;
  start = std::chrono::steady_clock::now();
  // Sorting starts its threads afresh at each step, and a thread costs more to
  // start than a few thousand referrals take to sort (a daily list is tens).
  constexpr std::size_t k_referrals_for_threads = 4096;
  const unsigned threads = ranked.list.referrals.size() < k_referrals_for_threads
                               ? 1U
                               : worker_threads(request.list.threads);
  const auto order = rank_order(rules, ranked.list.referrals, threads);
  ranked.timings.order = seconds_since(start);
  start = std::chrono::steady_clock::now();
  ranked.plan = plan_pick_ups(rules, ranked.list, order, request.capacity, request.policy);
  ranked.timings.plan = seconds_since(start);
  return ranked;
}

}  // namespace

RankedList rank_waiting_list(const RankRequest& request, std::istream& input) {
  return rank_list(request, input);
}

RankedList rank_waiting_list(const RankRequest& request, const InputBytes& input) {
  return rank_list(request, input);
}

}  // namespace engine
