// engine::detail::prefer_huge_pages: the whole 2 MiB pages inside a range are
// marked for huge pages (the kernel's "hg" flag on their mapping), nothing
// outside them, and the bytes are unchanged.
#include <engine/detail/huge_pages.hpp>

#include <catch2/catch.hpp>
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

using engine::detail::huge_page_vector;
using engine::detail::prefer_huge_pages;

namespace {

constexpr std::size_t k_huge = std::size_t{2} << 20;

// Whether this kernel has transparent huge pages at all: without them the
// advice is refused and there is no flag to look for.
bool kernel_has_huge_pages() {
  return std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled").good();
}

// The VmFlags of the mapping holding `address`, from /proc/self/smaps.
std::string mapping_flags(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t first = 0;
    std::uintptr_t last = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> first >> dash >> last && dash == '-') {
      inside = first <= at && at < last;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  FAIL("no mapping holds the address");
  return {};
}

bool marked(const void* address) {
  const std::string flags = mapping_flags(address);
  return flags.find(" hg") != std::string::npos;
}

// A fresh private mapping of `bytes`, its own so no other memory shares its flags.
struct Mapping {
  explicit Mapping(std::size_t bytes)
      : size(bytes),
        data(static_cast<char*>(
            ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))) {
    REQUIRE(data != MAP_FAILED);
  }
  ~Mapping() { ::munmap(data, size); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  // The first 2 MiB boundary inside the mapping.
  char* aligned() const {
    const auto at = reinterpret_cast<std::uintptr_t>(data);
    return data + ((k_huge - at % k_huge) % k_huge);
  }
  std::size_t size;
  char* data;
};

}  // namespace

TEST_CASE("huge pages: only the whole 2 MiB pages inside the range are asked for", "[huge_pages]") {
  if (!kernel_has_huge_pages()) {
    WARN("this kernel has no transparent huge pages: nothing to check");
    return;
  }
  const Mapping mapping(5 * k_huge);
  char* const page = mapping.aligned();  // at least two whole huge pages follow
  REQUIRE(page + 2 * k_huge <= mapping.data + mapping.size);

  SECTION("a range shorter than a huge page, or holding none whole, is left alone") {
    prefer_huge_pages(page, k_huge - 1);
    prefer_huge_pages(page + 1, k_huge);
    prefer_huge_pages(page + 4096, k_huge + k_huge / 2);
    CHECK_FALSE(marked(page));
    CHECK_FALSE(marked(page + k_huge));
  }
  SECTION("a range holding one whole huge page marks that page and not its neighbours") {
    prefer_huge_pages(page + k_huge - 1, 2 * k_huge);
    CHECK_FALSE(marked(page));
    CHECK(marked(page + k_huge));
    CHECK(marked(page + 2 * k_huge - 1));
    CHECK_FALSE(marked(page + 2 * k_huge));
  }
  SECTION("nothing and null are no range") {
    prefer_huge_pages(nullptr, 0);
    prefer_huge_pages(nullptr, 8 * k_huge);
    prefer_huge_pages(page, 0);
    CHECK_FALSE(marked(page));
  }
}

TEST_CASE("huge pages: the bytes are the same before and after", "[huge_pages]") {
  const Mapping mapping(3 * k_huge);
  for (std::size_t i = 0; i < mapping.size; ++i) {
    mapping.data[i] = static_cast<char>((i * 7 + i / 4096) % 251);
  }
  prefer_huge_pages(mapping.data, mapping.size);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < mapping.size; ++i) {
    differ += mapping.data[i] != static_cast<char>((i * 7 + i / 4096) % 251) ? 1 : 0;
  }
  CHECK(differ == 0);
}

TEST_CASE("huge pages: a huge-page vector holds `count` zeros, marked when large", "[huge_pages]") {
  for (const std::size_t count :
       {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{3} << 20}) {
    const auto words = huge_page_vector<std::uint64_t>(count);
    REQUIRE(words.size() == count);
    CHECK(std::all_of(words.begin(), words.end(), [](std::uint64_t w) { return w == 0; }));
    if (count * sizeof(std::uint64_t) >= 2 * k_huge && kernel_has_huge_pages()) {
      // 24 MiB: the middle of it lies in a whole huge page.
      CHECK(marked(words.data() + count / 2));
    }
  }
}
