// Tested by tests/unit/test_duplicate_ids.cpp and, through score_referrals, by
// tests/unit/test_parallel_score.cpp.
#include <engine/detail/duplicate_ids.hpp>

#include <algorithm>
#include <functional>

namespace engine::detail {

namespace {

constexpr std::size_t k_words_per_line = 8;  // 512 bits: one 64-byte cache line
constexpr std::size_t k_max_filter_bytes = std::size_t{16} << 20;
constexpr std::size_t k_min_filter_bytes = std::size_t{64} << 10;
// A referral row is rarely shorter than this; the estimate only sizes the filter.
constexpr std::size_t k_typical_row_bytes = 100;

}  // namespace

std::uint64_t id_hash(std::string_view id) {
  const auto hash = static_cast<std::uint64_t>(std::hash<std::string_view>{}(id));
  // Mix the bits (splitmix64's finaliser): the filter uses them all.
  std::uint64_t z = hash + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

IdFilter::IdFilter(std::size_t bytes)
    : m_words(std::max<std::size_t>(bytes / 8, k_words_per_line) / k_words_per_line *
              k_words_per_line),
      m_lines(m_words.size() / k_words_per_line) {}

bool IdFilter::add(std::uint64_t hash) {
  // The line from the top bits, then four bits inside it from 9-bit pieces
  // of the rest.
  static_assert(k_words_per_line == 8);  // as line_of() counts
  std::uint64_t* line = &m_words[line_of(hash)];
  bool seen = true;
  for (int i = 0; i < 4; ++i) {
    const auto bit = static_cast<unsigned>((hash >> (9 * i)) & 511U);
    const std::uint64_t mask = std::uint64_t{1} << (bit & 63U);
    std::uint64_t& word = line[bit >> 6U];
    seen = seen && (word & mask) != 0;
    word |= mask;
  }
  return seen;
}

std::size_t id_filter_bytes(std::size_t file_bytes) {
  const std::size_t rows = file_bytes / k_typical_row_bytes + 1;
  return std::clamp(rows * 2, k_min_filter_bytes, k_max_filter_bytes);
}

}  // namespace engine::detail
