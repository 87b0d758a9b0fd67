// Finding repeated referral ids in a file too large to hold every id in memory.
// A first pass adds each id's 64-bit hash to a Bloom filter (word blocked: one
// memory access an id); an id whose bits were all set already may have been
// seen before, and its hash becomes a candidate. Every id that really
// occurs twice is then a candidate (a filter has no false negatives), along
// with a few that only collide. The scoring pass checks exactly, by the id's
// text, only the rows whose hash is a candidate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
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
  // Adds the hash; returns whether it may have been added before. Threads may
  // add at once, in any order: an id's bits are all in one word, set by one
  // atomic OR, so of two adds of a hash the later sees the earlier's bits
  // (only false "seen"s depend on the order).
  bool add(std::uint64_t hash);
  // Adds each hash in turn, calling seen(hash) for each that may have been
  // added before: as add() on each, with the words of hashes a few ahead
  // asked for meanwhile, as each add is a wait for memory otherwise.
  template <typename Seen>
  void add_all(std::span<const std::uint64_t> hashes, Seen&& seen) {
    constexpr std::size_t k_ahead = 16;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      if (i + k_ahead < hashes.size()) {
        __builtin_prefetch(&m_words[word_of(hashes[i + k_ahead])], 1);
      }
      if (add(hashes[i])) {
        seen(hashes[i]);
      }
    }
  }

 private:
  // The hash's word: its top 24 bits scaled to the words, a multiply where `%`
  // would be a division (tens of cycles, once an id). The bits inside the
  // word come from its low 30 bits.
  std::size_t word_of(std::uint64_t hash) const { return (hash >> 40) * m_words.size() >> 24; }

  std::vector<std::uint64_t> m_words;
};

class DuplicateCandidates {
 public:
  void insert(std::uint64_t hash) {
    m_hashes.insert(hash);
    m_bits[word_of(hash)] |= bits_of(hash);
  }
  bool empty() const { return m_hashes.empty(); }
  std::size_t size() const { return m_hashes.size(); }
  // Whether a row with this id's hash must be checked exactly. Two bits per
  // hash, in one word of a table small enough to stay in a core's cache while
  // the rows stream through it, answer "no" for almost every row without a
  // look into the set.
  bool contains(std::uint64_t hash) const {
    const std::uint64_t bits = bits_of(hash);
    return (m_bits[word_of(hash)] & bits) == bits && m_hashes.count(hash) != 0;
  }

 private:
  // 256K bits, 32 KiB: at 128 KiB the table was read from memory at almost
  // every row, as the rows' own bytes pushed it out of the cache in between
  // (perf, 10M rows: 80% of the check's samples on that one read). With the
  // 18,442 candidates of 10M generated rows, about 2% of other rows find both
  // bits set and look into the set.
  static constexpr std::size_t k_bit_words = std::size_t{1} << 12;
  static constexpr std::size_t k_bit_mask = k_bit_words - 1;
  static std::size_t word_of(std::uint64_t hash) { return (hash >> 12) & k_bit_mask; }
  static std::uint64_t bits_of(std::uint64_t hash) {
    return (std::uint64_t{1} << (hash & 63U)) | (std::uint64_t{1} << ((hash >> 6) & 63U));
  }
  std::unordered_set<std::uint64_t> m_hashes;
  std::vector<std::uint64_t> m_bits = std::vector<std::uint64_t>(k_bit_words, 0);
};

// The id hashes of blocks whose records are settled (blocks taken in order),
// waiting to be added to a filter by whichever thread next has a moment: a
// worker before it reads a block, so that the calling thread, which takes
// every block in turn, does not add every id on its own; and the calling
// thread for what is left at the end. Every settled hash is added once, so
// every repeat is found; blocks read on a wrong guess are never added.
class WaitingIdHashes {
 public:
  WaitingIdHashes(IdFilter& filter, DuplicateCandidates& candidates)
      : m_filter(filter), m_candidates(candidates) {}
  void hand_over(std::vector<std::uint64_t> hashes);
  // Adds one block's hashes that are waiting; false if none was.
  bool add_one();
  // Adds every block's that is waiting (once no thread will hand any more over).
  void add_all();

 private:
  IdFilter& m_filter;
  DuplicateCandidates& m_candidates;
  std::mutex m_mutex;  // guards m_waiting and m_candidates
  std::vector<std::vector<std::uint64_t>> m_waiting;
};

// The filter size for a file: about 16 bits an id for files up to about 8M
// rows, never more than 16 MiB, so the check's memory is bounded.
std::size_t id_filter_bytes(std::size_t file_bytes);

}  // namespace engine::detail
