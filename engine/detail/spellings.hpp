// What a scorer found for the texts a file spells the same way row after row:
// "Mobile with 1 staff", "21/02/2020", "AM, PM". Finding a text here is cheaper
// than working it out again (a category key hashed, a date checked by the
// calendar, a list of visit slots split), and a file has few spellings of each.
// Each spelling has two places, picked from its length and its first and last
// eight bytes, so one or two compares find it, with no loop over the others;
// when both are taken, the second gives way, so the first keeps an earlier one.
// A text of up to 16 bytes is its key exactly (its length and two words, or
// its bytes); a longer one is also compared whole.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace engine::detail {

// `PlaceBits` sizes the table: 2^PlaceBits places, room for about half as many
// spellings before they start to push each other out.
template <typename Value, std::size_t PlaceBits = 7>
class Spellings {
 public:
  // What was kept for exactly this text, or null.
  const Value* find(std::string_view text) const {
    const Key key(text);
    const std::size_t first = key.place();
    for (const std::size_t at : {first, next(first)}) {
      const Place& place = m_places[at];
      if (place.used && place.key == key && (text.size() <= 16 || place.text == text)) {
        return &place.value;
      }
    }
    return nullptr;
  }

  void keep(std::string_view text, Value value) {
    const Key key(text);
    const std::size_t first = key.place();
    Place* chosen = m_places[first].used ? &m_places[next(first)] : &m_places[first];
    chosen->key = key;
    chosen->text.assign(text.size() > 16 ? text : std::string_view());
    chosen->value = std::move(value);
    chosen->used = true;
  }

 private:
  static constexpr std::size_t k_place_bits = PlaceBits;
  static constexpr std::size_t k_places = std::size_t{1} << k_place_bits;

  struct Key {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::size_t size = 0;

    Key() = default;
    explicit Key(std::string_view text) : size(text.size()) {
      if (size >= sizeof first) {
        std::memcpy(&first, text.data(), sizeof first);
        std::memcpy(&last, text.data() + size - sizeof last, sizeof last);
      } else if (size >= sizeof(std::uint32_t)) {
        // Two four-byte words, overlapping: with the size, every byte.
        std::uint32_t head = 0;
        std::uint32_t tail = 0;
        std::memcpy(&head, text.data(), sizeof head);
        std::memcpy(&tail, text.data() + size - sizeof tail, sizeof tail);
        first = head;
        last = tail;
      } else if (size != 0) {
        // The first, middle and last bytes are every byte of 1 to 3.
        const auto byte = [&](std::size_t i) {
          return std::uint64_t{static_cast<unsigned char>(text[i])};
        };
        first = byte(0) | byte(size / 2) << 8 | byte(size - 1) << 16;
      }
    }
    bool operator==(const Key&) const = default;
    std::size_t place() const {
      const std::uint64_t mixed = (first * 0x9E3779B97F4A7C15ULL) ^ (last * 0xC2B2AE3D27D4EB4FULL) ^
                                  (size * 0x165667B19E3779F9ULL);
      return static_cast<std::size_t>(mixed >> (64 - k_place_bits));
    }
  };

  struct Place {
    Key key;
    bool used = false;
    std::string text;  // a text longer than 16 bytes, whole
    Value value{};
  };

  static std::size_t next(std::size_t place) { return (place + 1) & (k_places - 1); }

  std::array<Place, k_places> m_places{};
};

}  // namespace engine::detail
