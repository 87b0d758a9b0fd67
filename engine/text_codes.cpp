// Tested by tests/unit/test_referral_columns.cpp.
#include <engine/detail/text_codes.hpp>

#include <cstring>

namespace engine::detail {

std::uint64_t TextCodes::hash(std::string_view text) {
  // Eight bytes at a time, each word mixed in by a multiply and a shift
  // (the finaliser of splitmix64): enough for a table of a few dozen texts,
  // and still spread for millions.
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ text.size();
  const auto mix = [&h](std::uint64_t word) {
    h = (h ^ word) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  };
  const char* p = text.data();
  std::size_t n = text.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    mix(word);
  }
  if (n > 0) {
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < n; ++i) {
      word |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    mix(word);
  }
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 29);
}

std::uint32_t TextCodes::code(std::string_view text) {
  if (const std::uint32_t* known = m_recent.find(text)) {
    return *known;
  }
  const std::uint32_t found = find_or_add(text);
  m_recent.keep(text, found);
  return found;
}

std::uint32_t TextCodes::find_or_add(std::string_view text) {
  if (m_texts.size() * 2 >= m_slots.size()) {
    grow();
  }
  const std::uint64_t h = hash(text);
  const std::uint64_t tag = h >> 32 << 32;
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::uint64_t slot = m_slots[i];
    if (slot == 0) {
      const auto code = static_cast<std::uint32_t>(m_texts.size());
      m_texts.emplace_back(text);
      m_slots[i] = tag | (std::uint64_t{code} + 1);
      return code;
    }
    if ((slot & ~std::uint64_t{0xFFFFFFFF}) == tag) {
      const auto code = static_cast<std::uint32_t>((slot & 0xFFFFFFFF) - 1);
      if (m_texts[code] == text) {
        return code;
      }
    }
  }
}

void TextCodes::grow() {
  m_slots.assign(m_slots.empty() ? 64 : m_slots.size() * 2, 0);
  const std::size_t mask = m_slots.size() - 1;
  for (std::uint32_t code = 0; code < m_texts.size(); ++code) {
    const std::uint64_t h = hash(m_texts[code]);
    std::size_t i = h & mask;
    while (m_slots[i] != 0) {
      i = (i + 1) & mask;
    }
    m_slots[i] = (h >> 32 << 32) | (std::uint64_t{code} + 1);
  }
}

}  // namespace engine::detail
