// The distinct texts of a list (teams, sources, packages, labels), each kept
// once and named by a small code. A list of millions asks for a code seven
// times a referral, almost always for a text it already has, so the look-up is
// an open-addressed table of (hash, code) with a hash of a few multiplies: the
// standard map's general hash and its buckets cost four times as much here;
// the texts asked for lately are found before that, by their exact key.
#pragma once

#include <engine/detail/spellings.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace engine::detail {

class TextCodes {
 public:
  // The code of `text`, made the first time it is seen (codes count up from 0).
  std::uint32_t code(std::string_view text);
  // Valid until the next new text.
  std::string_view text(std::uint32_t code) const { return m_texts[code]; }
  std::size_t size() const { return m_texts.size(); }

 private:
  static std::uint64_t hash(std::string_view text);
  std::uint32_t find_or_add(std::string_view text);
  void grow();

  // Codes asked for lately, found by the text's exact key (no hash of its
  // every word, no compare of its bytes): most of a list's texts.
  Spellings<std::uint32_t> m_recent;
  std::vector<std::string> m_texts;
  // (hash's top 32 bits << 32) | (code + 1); 0 is an empty slot.
  std::vector<std::uint64_t> m_slots;
};

}  // namespace engine::detail
