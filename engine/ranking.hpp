// The order a waiting list is worked in: the rule set's ranking order (score
// first, then its stated tie-breaks), and input position only as a last resort.
#pragma once

#include <engine/rule_set.hpp>
#include <engine/waiting_list.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace engine {

// Indices into `referrals`, highest priority first; sorted by `threads`
// threads, with the same result whatever their number.
std::vector<std::size_t> rank_order(const RuleSet& rules, const ReferralColumns& referrals,
                                    unsigned threads = 1);

// Which of two referrals ranks higher, and why.
struct RankComparison {
  bool first_ranks_higher = false;
  // The index into rules.order of the key that decided, or nullopt when every
  // key was equal and input position decided.
  std::optional<std::size_t> deciding_key;
};

RankComparison compare_referrals(const RuleSet& rules, const Referral& first,
                                 const Referral& second);

}  // namespace engine
