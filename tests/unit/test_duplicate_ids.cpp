// engine::detail's repeated-id search: the Bloom filter (IdFilter), the
// candidates a scan collects with it (every id that really occurs twice must be
// one: a missing candidate would let a duplicate through), and the filter's
// size bounds.
#include <engine/csv_reader.hpp>
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/record_blocks.hpp>
#include <engine/mapped_file.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using engine::detail::DuplicateCandidates;
using engine::detail::id_filter_bytes;
using engine::detail::id_hash;
using engine::detail::IdFilter;
using engine::detail::WaitingIdHashes;

namespace {

constexpr std::size_t k_min_filter = std::size_t{64} << 10;
constexpr std::size_t k_max_filter = std::size_t{16} << 20;

std::vector<std::uint64_t> hashes_of_ids(int count) {
  std::vector<std::uint64_t> hashes;
  for (int i = 0; i < count; ++i) {
    hashes.push_back(id_hash("R" + std::to_string(i)));
  }
  return hashes;
}

DuplicateCandidates candidates_of(const std::string& text, std::size_t block_bytes,
                                  unsigned threads) {
  engine::CsvReader reader(text, "t.csv");
  engine::CsvRecord header;
  REQUIRE(reader.next(header));
  DuplicateCandidates candidates;
  engine::detail::scan_record_blocks({engine::InputBytes{text}, "t.csv", engine::CsvOptions{},
                                      reader.offset(), reader.line(), 1, block_bytes, threads},
                                     candidates);
  return candidates;
}

}  // namespace

TEST_CASE("duplicate ids: a hash is new the first time it is added and seen the second",
          "[duplicates]") {
  const std::vector<std::uint64_t> raw{0,
                                       1,
                                       511,
                                       std::uint64_t{1} << 36,
                                       0x0123456789ABCDEFULL,
                                       std::numeric_limits<std::uint64_t>::max()};
  for (const std::uint64_t hash : raw) {
    CAPTURE(hash);
    IdFilter filter(id_filter_bytes(0));
    CHECK_FALSE(filter.add(hash));
    CHECK(filter.add(hash));
    CHECK(filter.add(hash));
  }
}

TEST_CASE("duplicate ids: every hash added twice is reported, whatever the order and filter size",
          "[duplicates]") {
  const auto hashes = hashes_of_ids(2000);
  for (const std::size_t bytes :
       {std::size_t{0}, std::size_t{64}, std::size_t{4096}, k_min_filter, k_max_filter}) {
    CAPTURE(bytes);
    IdFilter filter(bytes);
    for (const std::uint64_t hash : hashes) {
      filter.add(hash);  // may say "seen" for a few: a Bloom filter can
    }
    std::size_t reported = 0;
    for (auto it = hashes.rbegin(); it != hashes.rend(); ++it) {
      reported += filter.add(*it) ? 1 : 0;
    }
    CHECK(reported == hashes.size());  // none missed: a filter has no false negatives
  }
}

TEST_CASE("duplicate ids: two threads adding the same hashes at once report each at least once",
          "[duplicates]") {
  // Each hash is added by both threads at about the same moment: one of the
  // two adds is the later, and must see the other's bits. (A load and a store
  // in place of one atomic OR would let both find the word without them.)
  const auto hashes = hashes_of_ids(100000);
  for (const std::size_t bytes : {std::size_t{64}, k_min_filter, k_max_filter}) {
    for (int round = 0; round < 5; ++round) {
      CAPTURE(bytes, round);
      IdFilter filter(bytes);
      std::vector<char> seen[2] = {std::vector<char>(hashes.size()),
                                   std::vector<char>(hashes.size())};
      std::latch start(2);
      const auto add = [&](int thread) {
        start.arrive_and_wait();
        for (std::size_t i = 0; i < hashes.size(); ++i) {
          seen[thread][i] = filter.add(hashes[i]) ? 1 : 0;
        }
      };
      std::thread other(add, 1);
      add(0);
      other.join();
      std::size_t missed = 0;
      for (std::size_t i = 0; i < hashes.size(); ++i) {
        missed += seen[0][i] == 0 && seen[1][i] == 0 ? 1 : 0;
      }
      CHECK(missed == 0);
    }
  }
}

TEST_CASE("duplicate ids: hashes handed over block by block and added by other threads all count",
          "[duplicates]") {
  // 200 blocks of 1000 ids, the last 100 blocks repeating ids of the first
  // 100 in another order; two workers add waiting blocks while they arrive.
  // Every repeated id is a candidate, and few others are.
  IdFilter filter(k_max_filter);
  DuplicateCandidates candidates;
  WaitingIdHashes waiting(filter, candidates);
  const auto first = hashes_of_ids(100000);
  std::vector<std::uint64_t> fresh;
  for (int i = 0; i < 100000; ++i) {
    fresh.push_back(id_hash("S" + std::to_string(i)));
  }
  std::atomic<bool> done{false};
  const auto worker = [&] {
    while (!done.load()) {
      waiting.add_one();
    }
  };
  std::thread one(worker);
  std::thread two(worker);
  for (int block = 0; block < 200; ++block) {
    std::vector<std::uint64_t> hashes;
    for (int i = 0; i < 1000; ++i) {
      const int at = block * 1000 + i;
      if (block < 100) {
        hashes.push_back(first[static_cast<std::size_t>(at)]);
      } else if (i % 2 == 0) {
        hashes.push_back(first[static_cast<std::size_t>((at * 7919) % 100000)]);
      } else {
        hashes.push_back(fresh[static_cast<std::size_t>(at - 100000)]);
      }
    }
    waiting.hand_over(std::move(hashes));
  }
  done = true;
  one.join();
  two.join();
  waiting.add_all();
  std::size_t repeated = 0;
  for (int at = 100000; at < 200000; at += 2) {
    repeated += candidates.contains(first[static_cast<std::size_t>((at * 7919) % 100000)]) ? 1 : 0;
  }
  CHECK(repeated == 50000);
  CHECK(candidates.size() < 50000 + 200);
}

TEST_CASE("duplicate ids: adding a run of hashes reports what adding them one by one does",
          "[duplicates]") {
  // Ids 0-999, then 0-499 again: in a filter this small some first sightings
  // are false "seen" too, and add_all must report exactly the ones add does.
  std::vector<std::uint64_t> hashes = hashes_of_ids(1000);
  const std::vector<std::uint64_t> again = hashes_of_ids(500);
  hashes.insert(hashes.end(), again.begin(), again.end());
  for (const std::size_t bytes : {std::size_t{64}, std::size_t{4096}, k_min_filter}) {
    CAPTURE(bytes);
    IdFilter one_by_one(bytes);
    std::vector<std::uint64_t> want;  // the hashes reported, in order
    for (const std::uint64_t hash : hashes) {
      if (one_by_one.add(hash)) {
        want.push_back(hash);
      }
    }
    CHECK(want.size() >= 500);
    for (const std::size_t run : {std::size_t{1}, std::size_t{17}, hashes.size()}) {
      CAPTURE(run);
      IdFilter in_runs(bytes);
      std::vector<std::uint64_t> got;
      for (std::size_t from = 0; from < hashes.size(); from += run) {
        const std::size_t count = std::min(run, hashes.size() - from);
        in_runs.add_all(std::span(hashes).subspan(from, count),
                        [&](std::uint64_t hash) { got.push_back(hash); });
      }
      CHECK(got == want);
    }
  }
}

TEST_CASE("duplicate ids: distinct ids in a filter of the file's size are new when first added",
          "[duplicates]") {
  // 2000 ids in a 64 KiB filter: 5 of a word's 64 bits an id, and a word for
  // every 0.24 ids, so a false "seen" needs a rare word that holds another id
  // whose 5 bits cover a new one's (about 1e-6 for each); none is expected.
  IdFilter filter(id_filter_bytes(2000 * 100));
  for (const std::uint64_t hash : hashes_of_ids(2000)) {
    CAPTURE(hash);
    CHECK_FALSE(filter.add(hash));
  }
}

TEST_CASE("duplicate ids: a million distinct ids alike but for a few digits make few candidates",
          "[duplicates]") {
  // Ids such as R000000000 ... differ in a few bytes: a hash that spread them
  // badly would fill the same lines and make false candidates of many. A
  // filter of the size for their file (16 MiB at most) sets 5 bits an id in
  // a word of 64, about 2.9 ids to a word here; expected false candidates are
  // about 0.05%, and under 0.1%.
  constexpr int k_ids = 1000000;
  IdFilter filter(id_filter_bytes(std::size_t{k_ids} * 140));
  std::size_t seen = 0;
  for (int i = 0; i < k_ids; ++i) {
    std::string id = std::to_string(static_cast<std::uint64_t>(i) * 7919 % 1000000007);
    id = "R" + std::string(9 - id.size(), '0') + id;
    seen += filter.add(id_hash(id)) ? 1 : 0;
  }
  CHECK(seen < k_ids / 1000);
}

TEST_CASE("duplicate ids: a candidate set answers exactly, past the bit table it asks first",
          "[duplicates]") {
  // As many candidates as 10M generated rows make (18,442), then hashes that
  // are not candidates: some random, some equal to a candidate in the low
  // bits the table's word and bits come from, so the table says "maybe" and
  // only the exact set can say no.
  DuplicateCandidates candidates;
  CHECK(candidates.empty());
  const auto inserted = hashes_of_ids(18442);
  for (const auto hash : inserted) {
    candidates.insert(hash);
  }
  CHECK(candidates.size() == 18442);
  for (const auto hash : inserted) {
    REQUIRE(candidates.contains(hash));
  }
  std::size_t wrong = 0;
  for (int i = 0; i < 100000; ++i) {
    wrong += candidates.contains(id_hash("S" + std::to_string(i))) ? 1 : 0;
  }
  for (const auto hash : inserted) {
    wrong += candidates.contains(hash ^ (std::uint64_t{1} << 50)) ? 1 : 0;
  }
  CHECK(wrong == 0);
}

TEST_CASE("duplicate ids: a scan makes a candidate of every id that occurs twice", "[duplicates]") {
  // The id is the second column; repeats far apart, in quoted multi-line
  // records, and with spaces around them, which are not part of the id.
  std::string text = "note,id,x\n";
  for (int i = 0; i < 60; ++i) {
    text += (i % 5 == 0 ? "\"a\nb\"," : "n,") + std::string("U") + std::to_string(i) + ",x\n";
    if (i == 3) {
      text += "n,D1,x\nn,  D2 ,x\n\"m\nultiline\",\"\tD3\",x\n";
    }
  }
  text += "n,D1,x\r\nn,D2,x\n\n\"q\n\",\" D3 \",x\nn,D4,x\nn,D4,x\nn,D5,x\nn,D5,x\nn,D5,x";
  const std::vector<std::string> repeated{"D1", "D2", "D3", "D4", "D5"};
  for (const unsigned threads : {1U, 2U, 3U}) {
    for (const std::size_t block_bytes :
         {std::size_t{1}, std::size_t{3}, std::size_t{17}, std::size_t{64}, std::size_t{1} << 20}) {
      CAPTURE(threads, block_bytes);
      const auto candidates = candidates_of(text, block_bytes, threads);
      for (const auto& id : repeated) {
        CAPTURE(id);
        CHECK(candidates.contains(id_hash(id)));
      }
    }
  }
}

TEST_CASE("duplicate ids: a scan in one block as large as a size_t holds finds the repeats too",
          "[duplicates]") {
  const std::string text = "note,id,x\nn,D1,x\nn,U1,x\nn, D1 ,x\n";
  const std::size_t max = std::numeric_limits<std::size_t>::max();
  for (const std::size_t block_bytes : {max / 2, max - 10, max}) {
    CAPTURE(block_bytes);
    CHECK(candidates_of(text, block_bytes, 1).contains(id_hash("D1")));
  }
}

TEST_CASE("duplicate ids: the filter size stays between 64 KiB and 16 MiB", "[duplicates]") {
  CHECK(id_filter_bytes(0) == k_min_filter);
  CHECK(id_filter_bytes(std::numeric_limits<std::size_t>::max()) == k_max_filter);
  std::size_t previous = 0;
  for (std::size_t file_bytes = 1; file_bytes < (std::size_t{1} << 50); file_bytes *= 3) {
    CAPTURE(file_bytes);
    const std::size_t bytes = id_filter_bytes(file_bytes);
    CHECK(bytes >= k_min_filter);
    CHECK(bytes <= k_max_filter);
    CHECK(bytes >= previous);  // a larger file never gets a smaller filter
    previous = bytes;
  }
}
