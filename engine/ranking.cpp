// Tested by tests/unit/test_ranking.cpp.
// Keys are compared in the rule set's order; each key is a number (scores,
// days, dates as day numbers) or a text (ids). Input position decides only
// when every stated key is equal, so the order never depends on how the list
// was sorted, and the same input always gives the same list.
#include <engine/detail/ordered_blocks.hpp>
#include <engine/ranking.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <unordered_map>

namespace engine {

namespace {

// A run of equal prefixes longer than this is sorted on every thread.
constexpr std::size_t k_threaded_run = std::size_t{1} << 16;

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
// leading bytes leave it to the full comparison. Each byte is packed as its
// rank among the bytes the texts are made of (0: past the end), so that ids
// of digits take 4 bits a byte rather than 8 and far more of them fit.
// Returns how many of the bits left it used.
unsigned pack_text_key(const ReferralColumns& referrals, std::size_t k, bool descending,
                       unsigned bits_left, unsigned threads, std::vector<SortEntry>& entries) {
  // Bytes every text begins with (the "R" of "R000123456") decide nothing: the
  // packed bytes start after them.
  struct Part {
    std::size_t shared = 0;
    std::array<bool, 256> seen{};
  };
  std::vector<Part> parts(std::max(1U, threads));
  const std::string_view first = referrals.empty() ? std::string_view() : referrals.key_text(0, k);
  detail::run_in_parts(
      referrals.size(), threads, [&](unsigned index, std::size_t begin, std::size_t end) {
        Part& part = parts[index];
        std::size_t shared = first.size();
        for (std::size_t i = begin; i < end; ++i) {
          const std::string_view text = referrals.key_text(i, k);
          for (const char c : text) {
            part.seen[static_cast<unsigned char>(c)] = true;
          }
          std::size_t same = 0;
          while (same < shared && same < text.size() && text[same] == first[same]) {
            ++same;
          }
          shared = same;
        }
        part.shared = shared;
      });
  std::size_t skip = SIZE_MAX;
  std::array<std::uint16_t, 256> code{};
  for (const Part& part : parts) {
    skip = std::min(skip, part.shared);
    for (std::size_t c = 0; c < code.size(); ++c) {
      code[c] = code[c] != 0 || part.seen[c] ? 1 : 0;
    }
  }
  std::uint16_t symbols = 0;
  for (auto& c : code) {
    c = c != 0 ? ++symbols : 0;
  }
  const auto char_bits = static_cast<unsigned>(std::bit_width(symbols));
  const unsigned chars = char_bits == 0 ? 0 : bits_left / char_bits;
  if (chars == 0) {
    return 0;
  }
  const unsigned packed_bits = chars * char_bits;
  const std::uint64_t all =
      packed_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << packed_bits) - 1;
  detail::run_in_parts(
      referrals.size(), threads, [&](unsigned, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          const std::string_view text = referrals.key_text(i, k).substr(skip);
          std::uint64_t packed = 0;
          for (unsigned b = 0; b < chars; ++b) {
            packed = (packed << char_bits) |
                     (b < text.size() ? code[static_cast<unsigned char>(text[b])] : 0U);
          }
          if (descending) {
            packed = ~packed & all;
          }
          entries[i].prefix |= packed << (bits_left - packed_bits);
        }
      });
  return packed_bits;
}

// A numeric key whose values are all whole numbers within 2^32 of each other
// packs as value - smallest (or largest - value, descending); others as the
// rank of their value among the distinct values, when there are few.
struct NumericPacking {
  bool packs = false;
  bool whole = true;
  double low = 0;
  double high = 0;
  std::unordered_map<double, std::uint32_t> ranks;  // when not whole
  unsigned bits = 0;
};

NumericPacking numeric_packing(const ReferralColumns& referrals, std::size_t k, bool descending,
                               unsigned threads) {
  std::vector<NumericPacking> parts(std::max(1U, threads));
  for (auto& part : parts) {
    part.low = std::numeric_limits<double>::infinity();
    part.high = -part.low;
  }
  detail::run_in_parts(referrals.size(), threads,
                       [&](unsigned index, std::size_t begin, std::size_t end) {
                         NumericPacking& part = parts[index];
                         for (std::size_t i = begin; i < end; ++i) {
                           const double x = referrals.key_number(i, k);
                           part.whole = part.whole && x == std::trunc(x) && std::fabs(x) < 9e15;
                           part.low = std::min(part.low, x);
                           part.high = std::max(part.high, x);
                         }
                       });
  NumericPacking packing;
  packing.low = std::numeric_limits<double>::infinity();
  packing.high = -packing.low;
  for (const auto& part : parts) {
    packing.whole = packing.whole && part.whole;
    packing.low = std::min(packing.low, part.low);
    packing.high = std::max(packing.high, part.high);
  }
  if (packing.whole && packing.high - packing.low < 4294967296.0) {
    packing.packs = true;
    packing.bits = static_cast<unsigned>(
        std::bit_width(static_cast<std::uint64_t>(packing.high - packing.low)));
    return packing;
  }
  std::vector<double> values;
  for (std::size_t i = 0; i < referrals.size() && values.size() <= 65536; ++i) {
    if (packing.ranks.emplace(referrals.key_number(i, k), 0).second) {
      values.push_back(referrals.key_number(i, k));
    }
  }
  if (values.size() > 65536) {
    return packing;  // too many values: the full comparison takes over
  }
  std::sort(values.begin(), values.end());
  for (std::size_t r = 0; r < values.size(); ++r) {
    packing.ranks[values[r]] = static_cast<std::uint32_t>(descending ? values.size() - 1 - r : r);
  }
  packing.packs = true;
  packing.bits = static_cast<unsigned>(std::bit_width(values.size()));
  return packing;
}

std::uint64_t packed_value(const NumericPacking& packing, double x, bool descending) {
  if (!packing.whole) {
    return packing.ranks.at(x);
  }
  return static_cast<std::uint64_t>(descending ? packing.high - x : x - packing.low);
}

// Packs the keys from the top bit down; returns how many low bits are left
// unpacked (64: none packed), which are 0 in every prefix.
unsigned pack_prefixes(const RuleSet& rules, const ReferralColumns& referrals, unsigned threads,
                       std::vector<SortEntry>& entries) {
  unsigned bits_left = 64;
  for (std::size_t k = 0; k < rules.order.size() && k < referrals.key_count(); ++k) {
    const bool descending = rules.order[k].descending;
    if (referrals.key_is_text(k)) {
      return bits_left - pack_text_key(referrals, k, descending, bits_left, threads, entries);
    }
    const NumericPacking packing = numeric_packing(referrals, k, descending, threads);
    if (!packing.packs || packing.bits > bits_left) {
      return bits_left;
    }
    if (packing.bits == 0) {
      continue;  // every value the same: the key decides nothing
    }
    bits_left -= packing.bits;
    detail::run_in_parts(
        referrals.size(), threads, [&](unsigned, std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            entries[i].prefix |= packed_value(packing, referrals.key_number(i, k), descending)
                                 << bits_left;
          }
        });
  }
  return bits_left;
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

// Sorts `entries` with `before` on `threads`: each thread sorts a part, then
// the parts are merged. The order is total (input position decides last), so
// it is the same whatever the threads.
template <typename Before>
void comparison_sort(std::span<SortEntry> entries, unsigned threads, const Before& before) {
  const unsigned parts = std::max(1U, std::min(threads, 8U));
  const auto at = [&](std::size_t part) {
    return entries.begin() + static_cast<std::ptrdiff_t>(entries.size() * part / parts);
  };
  detail::run_in_parts(parts, parts, [&](unsigned, std::size_t begin, std::size_t end) {
    for (std::size_t part = begin; part < end; ++part) {
      std::sort(at(part), at(part + 1), before);
    }
  });
  for (unsigned part = 1; part < parts; ++part) {
    std::inplace_merge(entries.begin(), at(part), at(part + 1), before);
  }
}

// Sorts `entries` by their prefixes, whose `low` bits are 0 in all, stably:
// least significant digit first, each pass counted and then moved by every
// thread on its own part of the entries, so equal prefixes stay in index order.
void radix_sort(std::vector<SortEntry>& entries, unsigned low, unsigned threads) {
  constexpr unsigned k_digit_bits = 11;
  constexpr std::size_t k_digits = std::size_t{1} << k_digit_bits;
  const unsigned parts = std::max(1U, std::min<unsigned>(threads, 8U));
  std::vector<SortEntry> moved(entries.size());
  std::vector<std::size_t> counts(std::size_t{parts} * k_digits);
  const auto part_begin = [&](std::size_t part) { return entries.size() * part / parts; };
  for (unsigned shift = low; shift < 64; shift += k_digit_bits) {
    std::fill(counts.begin(), counts.end(), 0);
    detail::run_in_parts(parts, parts, [&](unsigned, std::size_t first, std::size_t last) {
      for (std::size_t part = first; part < last; ++part) {
        std::size_t* count = &counts[part * k_digits];
        for (std::size_t i = part_begin(part); i < part_begin(part + 1); ++i) {
          ++count[(entries[i].prefix >> shift) & (k_digits - 1)];
        }
      }
    });
    // Where each part's entries of each digit go: after every smaller digit,
    // and after the earlier parts' entries of the same digit.
    std::size_t next = 0;
    for (std::size_t digit = 0; digit < k_digits; ++digit) {
      for (std::size_t part = 0; part < parts; ++part) {
        const std::size_t count = counts[part * k_digits + digit];
        counts[part * k_digits + digit] = next;
        next += count;
      }
    }
    detail::run_in_parts(parts, parts, [&](unsigned, std::size_t first, std::size_t last) {
      for (std::size_t part = first; part < last; ++part) {
        std::size_t* to = &counts[part * k_digits];
        for (std::size_t i = part_begin(part); i < part_begin(part + 1); ++i) {
          moved[to[(entries[i].prefix >> shift) & (k_digits - 1)]++] = entries[i];
        }
      }
    });
    entries.swap(moved);
  }
}

}  // namespace

std::vector<std::size_t> rank_order(const RuleSet& rules, const ReferralColumns& referrals,
                                    unsigned threads) {
  std::vector<SortEntry> entries(referrals.size());
  detail::run_in_parts(entries.size(), threads, [&](unsigned, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      entries[i] = {0, static_cast<std::uint32_t>(i)};
    }
  });
  const unsigned unpacked = pack_prefixes(rules, referrals, threads, entries);
  const auto before = [&](const SortEntry& a, const SortEntry& b) {
    if (a.prefix != b.prefix) {
      return a.prefix < b.prefix;
    }
    return ranks_higher(rules, referrals, a.index, b.index);
  };
  if (unpacked == 64) {
    comparison_sort(std::span(entries), threads, before);
  } else {
    // Most lists' prefixes tell almost every pair apart: sorted by prefix
    // alone, only the runs of equal prefixes are left for the full comparison.
    radix_sort(entries, unpacked, threads);
    // A run belongs to the part it starts in; long runs are sorted after, on
    // every thread.
    const auto run_start = [&](std::size_t i) {
      while (i > 0 && i < entries.size() && entries[i].prefix == entries[i - 1].prefix) {
        ++i;
      }
      return i;
    };
    std::vector<std::vector<std::span<SortEntry>>> long_runs(std::max(1U, threads));
    detail::run_in_parts(
        entries.size(), threads, [&](unsigned part, std::size_t first, std::size_t last) {
          const std::size_t stop = run_start(last);
          for (std::size_t begin = run_start(first); begin < stop;) {
            std::size_t end = begin + 1;
            while (end < entries.size() && entries[end].prefix == entries[begin].prefix) {
              ++end;
            }
            const auto run = std::span(entries).subspan(begin, end - begin);
            if (run.size() > k_threaded_run) {
              long_runs[part].push_back(run);
            } else if (run.size() > 1) {
              std::sort(run.begin(), run.end(), before);
            }
            begin = end;
          }
        });
    for (const auto& runs : long_runs) {
      for (const auto run : runs) {
        comparison_sort(run, threads, before);
      }
    }
  }
  std::vector<std::size_t> order(entries.size());
  detail::run_in_parts(entries.size(), threads, [&](unsigned, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      order[i] = entries[i].index;
    }
  });
  return order;
}

}  // namespace engine
