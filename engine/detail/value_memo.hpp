// What a pure function of a few numbers last gave for them: a formula of the
// variables it reads, the band a number falls in. In a referral file those
// numbers take few values (a lookup's number, a band's, hours of care from a
// short list), so a row mostly finds its answer here without working it out.
// Keys are the numbers' bits, compared exactly: a hit is the same inputs.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace engine::detail {

// 2^PlaceBits places, each keeping one key's result (a later key of the same
// place replaces it).
template <typename Result, std::size_t MaxKeys, std::size_t PlaceBits = 6>
class ValueMemo {
 public:
  using Key = std::array<std::uint64_t, MaxKeys>;

  // The key of numbers read through `addresses` (at most MaxKeys of them).
  template <typename Addresses>
  static Key key_of(const Addresses& addresses) {
    Key key{};
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      key[i] = std::bit_cast<std::uint64_t>(*addresses[i]);
    }
    return key;
  }
  static Key key_of(double value) {
    Key key{};
    key[0] = std::bit_cast<std::uint64_t>(value);
    return key;
  }

  // What compute() gives for `key`, computed only when not kept already.
  template <typename Compute>
  Result get(const Key& key, Compute&& compute) {
    // Products that do not wait for each other: the place is known sooner.
    static constexpr std::uint64_t k_odd[] = {0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL,
                                              0x165667B19E3779F9ULL, 0xD6E8FEB86659FD93ULL};
    std::uint64_t mixed = 0;
    for (std::size_t i = 0; i < MaxKeys; ++i) {
      mixed += (key[i] ^ (key[i] >> 29)) * k_odd[i % 4];
    }
    Place& place = m_places[static_cast<std::size_t>(mixed >> (64 - k_place_bits))];
    if (place.used && place.key == key) {
      return place.value;
    }
    place.key = key;
    place.value = compute();
    place.used = true;
    return place.value;
  }

 private:
  static constexpr std::size_t k_place_bits = PlaceBits;
  struct Place {
    Key key{};
    Result value{};
    bool used = false;
  };
  std::array<Place, std::size_t{1} << k_place_bits> m_places{};
};

}  // namespace engine::detail
