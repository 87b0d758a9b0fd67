// Finding repeated referral ids in a file too large to hold every id in memory.
// A first pass adds each id's 64-bit hash to a Bloom filter (cache-line blocked:
// one memory access an id); an id whose bits were all set already may have
// been seen before, and its hash becomes a candidate. Every id that really
// occurs twice is then a candidate (a filter has no false negatives), along
// with a few that only collide. The scoring pass checks exactly, by the id's
// text, only the rows whose hash is a candidate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace engine::detail {

std::uint64_t id_hash(std::string_view id);

class IdFilter {
 public:
  // `bytes` of filter: more bytes, fewer false candidates.
  explicit IdFilter(std::size_t bytes);
  // Adds the hash; returns whether it may have been added before.
  bool add(std::uint64_t hash);
  // Adds each hash in turn, calling seen(hash) for each that may have been
  // added before: as add() on each, with the lines of hashes a few ahead
  // asked for meanwhile, as each add is a wait for memory otherwise.
  template <typename Seen>
  void add_all(std::span<const std::uint64_t> hashes, Seen&& seen) {
    constexpr std::size_t k_ahead = 16;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      if (i + k_ahead < hashes.size()) {
        __builtin_prefetch(&m_words[line_of(hashes[i + k_ahead])], 1);
      }
      if (add(hashes[i])) {
        seen(hashes[i]);
      }
    }
  }

 private:
  // The first word of the hash's group of 8 words (one cache line): its top
  // 28 bits scaled to the lines, a multiply where `%` would be a division
  // (tens of cycles, twice an id, on the thread that adds them in order).
  std::size_t line_of(std::uint64_t hash) const { return ((hash >> 36) * m_lines >> 28) * 8; }

  std::vector<std::uint64_t> m_words;  // groups of 8 words: one cache line each
  std::size_t m_lines = 0;
};

class DuplicateCandidates {
 public:
  void insert(std::uint64_t hash) {
    m_hashes.insert(hash);
    m_bits[(hash >> 6) & k_bit_mask] |= std::uint64_t{1} << (hash & 63U);
  }
  bool empty() const { return m_hashes.empty(); }
  std::size_t size() const { return m_hashes.size(); }
  // Whether a row with this id's hash must be checked exactly. A bit per hash
  // in a table that fits in a core's cache answers "no" for almost every row
  // without a look into the set.
  bool contains(std::uint64_t hash) const {
    return (m_bits[(hash >> 6) & k_bit_mask] & (std::uint64_t{1} << (hash & 63U))) != 0 &&
           m_hashes.count(hash) != 0;
  }

 private:
  static constexpr std::size_t k_bit_words = std::size_t{1} << 14;  // 1M bits, 128 KiB
  static constexpr std::size_t k_bit_mask = k_bit_words - 1;
  std::unordered_set<std::uint64_t> m_hashes;
  std::vector<std::uint64_t> m_bits = std::vector<std::uint64_t>(k_bit_words, 0);
};

// The filter size for a file: about 16 bits an id for files up to about 8M
// rows, never more than 16 MiB, so the check's memory is bounded.
std::size_t id_filter_bytes(std::size_t file_bytes);

}  // namespace engine::detail
