// Tested by tests/unit/test_ranking.cpp.
// Keys are compared in the rule set's order; each key is a number (scores,
// days, dates as day numbers) or a text (ids). Input position decides only
// when every stated key is equal, so the order never depends on how the list
// was sorted, and the same input always gives the same list.
#include <engine/ranking.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <numeric>
#include <unordered_map>

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

namespace {

// The leading numeric keys' values as small ranks, packed into 64 bits so that
// most comparisons are one integer compare on contiguous memory. Keys are
// packed while their distinct values are few enough to fit.
struct SortEntry {
  std::uint64_t prefix;
  std::uint32_t index;
};

// A text key's first bytes, big-endian, in the bits left: byte order is the
// order std::string compares in, so a difference there decides, and equal
// leading bytes leave it to the full comparison.
void pack_text_key(const ReferralColumns& referrals, std::size_t k, bool descending,
                   unsigned bits_left, std::vector<std::uint64_t>& prefixes) {
  const unsigned bytes = bits_left / 8;
  if (bytes == 0) {
    return;
  }
  const std::uint64_t all =
      bits_left == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (bytes * 8)) - 1;
  for (std::size_t i = 0; i < referrals.size(); ++i) {
    const std::string_view text = referrals.key_text(i, k);
    std::uint64_t packed = 0;
    for (unsigned b = 0; b < bytes; ++b) {
      packed = (packed << 8) | (b < text.size() ? static_cast<unsigned char>(text[b]) : 0U);
    }
    if (descending) {
      packed = ~packed & all;
    }
    prefixes[i] |= packed << (bits_left - bytes * 8);
  }
}

std::vector<std::uint64_t> packed_prefixes(const RuleSet& rules, const ReferralColumns& referrals) {
  std::vector<std::uint64_t> prefixes(referrals.size(), 0);
  unsigned bits_left = 64;
  for (std::size_t k = 0; k < rules.order.size() && k < referrals.key_count(); ++k) {
    std::unordered_map<double, std::uint32_t> distinct;
    bool text_key = false;
    for (std::size_t i = 0; i < referrals.size() && distinct.size() <= 65536; ++i) {
      text_key = text_key || !referrals.key_text(i, k).empty();
      distinct.emplace(referrals.key_number(i, k), 0);
    }
    if (text_key) {
      pack_text_key(referrals, k, rules.order[k].descending, bits_left, prefixes);
      break;
    }
    if (distinct.size() > 65536) {
      break;  // too many values: the full comparison takes over
    }
    std::vector<double> values;
    for (const auto& [value, unused] : distinct) {
      values.push_back(value);
    }
    std::sort(values.begin(), values.end());
    const bool descending = rules.order[k].descending;
    for (std::size_t r = 0; r < values.size(); ++r) {
      distinct[values[r]] = static_cast<std::uint32_t>(descending ? values.size() - 1 - r : r);
    }
    const auto bits = static_cast<unsigned>(std::bit_width(values.size()));
    if (bits > bits_left) {
      break;
    }
    bits_left -= bits;
    for (std::size_t i = 0; i < referrals.size(); ++i) {
      prefixes[i] |= std::uint64_t{distinct[referrals.key_number(i, k)]} << bits_left;
    }
  }
  return prefixes;
}

// The full comparison, on the columns: what compare_referrals does on Referrals.
bool ranks_higher(const RuleSet& rules, const ReferralColumns& referrals, std::size_t a,
                  std::size_t b) {
  for (std::size_t k = 0; k < rules.order.size(); ++k) {
    int order = 0;
    const double x = referrals.key_number(a, k);
    const double y = referrals.key_number(b, k);
    if (x != y) {
      order = x < y ? -1 : 1;
    } else {
      const int texts = referrals.key_text(a, k).compare(referrals.key_text(b, k));
      order = texts < 0 ? -1 : (texts > 0 ? 1 : 0);
    }
    if (order != 0) {
      return rules.order[k].descending ? order > 0 : order < 0;
    }
  }
  return referrals.line(a) < referrals.line(b);
}

}  // namespace

std::vector<std::size_t> rank_order(const RuleSet& rules, const ReferralColumns& referrals) {
  const std::vector<std::uint64_t> prefixes = packed_prefixes(rules, referrals);
  std::vector<SortEntry> entries(referrals.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i] = {prefixes[i], static_cast<std::uint32_t>(i)};
  }
  std::sort(entries.begin(), entries.end(), [&](const SortEntry& a, const SortEntry& b) {
    if (a.prefix != b.prefix) {
      return a.prefix < b.prefix;
    }
    return ranks_higher(rules, referrals, a.index, b.index);
  });
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    order[i] = entries[i].index;
  }
  return order;
}

}  // namespace engine
