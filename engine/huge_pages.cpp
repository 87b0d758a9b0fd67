// Tested by tests/unit/test_huge_pages.cpp; measured in bench/README.md.
#include <engine/detail/huge_pages.hpp>

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace engine::detail {

void prefer_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t k_huge_page = std::uintptr_t{1} << 21;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + k_huge_page - 1) & ~(k_huge_page - 1);
  const std::uintptr_t last = (begin + bytes) & ~(k_huge_page - 1);
  if (data == nullptr || last <= first) {
    return;
  }
  // Advice only: a kernel without huge pages refuses it (EINVAL), and the
  // memory works as before.
  ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace engine::detail
