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

 private:
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
