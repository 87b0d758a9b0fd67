// Tested by tests/unit/test_duplicate_ids.cpp and, through score_referrals, by
// tests/unit/test_parallel_score.cpp.
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/huge_pages.hpp>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace engine::detail {

namespace {

constexpr std::size_t k_max_filter_bytes = std::size_t{16} << 20;
constexpr std::size_t k_min_filter_bytes = std::size_t{64} << 10;
// A referral row is rarely shorter than this; the estimate only sizes the filter.
constexpr std::size_t k_typical_row_bytes = 100;

}  // namespace

std::uint64_t id_hash(std::string_view id) {
  // Every row's id is hashed once or twice a pass, and ids are short: whole
  // 8-byte words (the last one overlapping), each mixed in with a multiply,
  // cost a few cycles where a general string hash costs a call and a loop.
  const auto mix = [](std::uint64_t z) {
    // splitmix64's finaliser: every input bit reaches every output bit.
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  const auto word = [&](std::size_t at) {
    std::uint64_t w = 0;
    std::memcpy(&w, id.data() + at, sizeof w);
    return w;
  };
  const std::size_t size = id.size();
  std::uint64_t hash = mix(size + 0x9E3779B97F4A7C15ULL);
  if (size < sizeof(std::uint64_t)) {
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < size; ++i) {
      bytes |= std::uint64_t{static_cast<unsigned char>(id[i])} << (8 * i);
    }
    return mix(hash ^ bytes);
  }
  std::size_t at = 0;
  for (; at + sizeof(std::uint64_t) < size; at += sizeof(std::uint64_t)) {
    hash = mix(hash ^ word(at));
  }
  return mix(hash ^ word(size - sizeof(std::uint64_t)));
}

// Every id lands on a word anywhere in the filter: it is kept in huge pages.
IdFilter::IdFilter(std::size_t bytes)
    : m_words(huge_page_vector<std::uint64_t>(std::max<std::size_t>(bytes / 8, 1))) {}

bool IdFilter::add(std::uint64_t hash) {
  // Five bits of the word, from 6-bit pieces of the low bits.
  std::uint64_t mask = 0;
  for (int i = 0; i < 5; ++i) {
    mask |= std::uint64_t{1} << ((hash >> (6 * i)) & 63U);
  }
  std::atomic_ref<std::uint64_t> word(m_words[word_of(hash)]);
  // A repeat (or a false "seen") needs no write: the bits are there already.
  if ((word.load(std::memory_order_relaxed) & mask) == mask) {
    return true;
  }
  return (word.fetch_or(mask, std::memory_order_relaxed) & mask) == mask;
}

void WaitingIdHashes::hand_over(std::vector<std::uint64_t> hashes) {
  const std::lock_guard lock(m_mutex);
  m_waiting.push_back(std::move(hashes));
}

bool WaitingIdHashes::add_one() {
  std::vector<std::uint64_t> hashes;
  {
    const std::lock_guard lock(m_mutex);
    if (m_waiting.empty()) {
      return false;
    }
    hashes = std::move(m_waiting.back());
    m_waiting.pop_back();
  }
  std::vector<std::uint64_t> seen;
  m_filter.add_all(hashes, [&](std::uint64_t hash) { seen.push_back(hash); });
  if (!seen.empty()) {
    const std::lock_guard lock(m_mutex);
    for (const std::uint64_t hash : seen) {
      m_candidates.insert(hash);
    }
  }
  return true;
}

void WaitingIdHashes::add_all() {
  while (add_one()) {
  }
}

std::size_t id_filter_bytes(std::size_t file_bytes) {
  const std::size_t rows = file_bytes / k_typical_row_bytes + 1;
  return std::clamp(rows * 2, k_min_filter_bytes, k_max_filter_bytes);
}

}  // namespace engine::detail
