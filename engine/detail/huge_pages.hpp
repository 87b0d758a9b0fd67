// Asking the kernel for 2 MiB pages under the tables that are read in no
// order: the list's referrals, read in rank order, and the filter of ids.
#pragma once

#include <cstddef>
#include <vector>

namespace engine::detail {

// Asks for the whole 2 MiB pages inside [data, data + bytes) to be backed by
// huge pages (Linux's transparent huge pages, which Debian leaves to each
// program to ask for). A table of millions read in no order otherwise misses
// the TLB on almost every read, and one miss walks four levels of page
// tables (two sets of them under a virtual machine). Only memory not yet
// touched is affected, so call it after reserving and before filling. The
// contents are unchanged; where the system has no such pages it does nothing.
void prefer_huge_pages(const void* data, std::size_t bytes);

// `count` value-initialised elements, in huge pages where the system allows.
template <typename T>
std::vector<T> huge_page_vector(std::size_t count) {
  std::vector<T> elements;
  elements.reserve(count);
  prefer_huge_pages(elements.data(), count * sizeof(T));
  elements.resize(count);
  return elements;
}

}  // namespace engine::detail
