// Tested by tests/unit/test_ranking.cpp.
// Keys are compared in the rule set's order; each key is a number (scores,
// days, dates as day numbers) or a text (ids). Input position decides only
// when every stated key is equal, so the order never depends on how the list
// was sorted, and the same input always gives the same list.
#include <engine/ranking.hpp>

#include <algorithm>
#include <numeric>

namespace engine {

namespace {

// <0 when `first` comes first on key i, >0 when `second` does, 0 when equal.
int compare_key(const RuleSet& rules, std::size_t i, const Referral& first,
                const Referral& second) {
  int order = 0;
  if (first.key_numbers[i] != second.key_numbers[i]) {
    order = first.key_numbers[i] < second.key_numbers[i] ? -1 : 1;
  } else {
    order = first.key_texts[i].compare(second.key_texts[i]);
    order = order < 0 ? -1 : (order > 0 ? 1 : 0);
  }
  return rules.order[i].descending ? -order : order;
}

}  // namespace

RankComparison compare_referrals(const RuleSet& rules, const Referral& first,
                                 const Referral& second) {
  for (std::size_t i = 0; i < rules.order.size(); ++i) {
    const int order = compare_key(rules, i, first, second);
    if (order != 0) {
      return {order < 0, i};
    }
  }
  return {first.line < second.line, std::nullopt};
}

std::vector<std::size_t> rank_order(const RuleSet& rules, const std::vector<Referral>& referrals) {
  std::vector<std::size_t> order(referrals.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return compare_referrals(rules, referrals[a], referrals[b]).first_ranks_higher;
  });
  return order;
}

}  // namespace engine
