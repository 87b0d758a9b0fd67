// Bit masks of 64 bytes at a time, for the readers that find records' ends
// and fields from them (CsvReader's plain records, the first pass's ids): each
// byte is compared once, 16 at a time, and quotes are paired by a prefix XOR.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>

namespace engine::detail {

// For the 64 bytes at p: bit i set where byte i is a quote, a line feed, a
// CR or the delimiter. Each 16 bytes are loaded once for all four.
struct ChunkBits {
  std::uint64_t quotes = 0, feeds = 0, returns = 0, delimiters = 0;
  bool nul = false;  // a NUL byte anywhere in the 64
};

// Inlined where it is used: a call would return the masks through memory (and
// a caller that needs no CRs loses their compares).
[[gnu::always_inline]] inline ChunkBits chunk_bits(const char* p, char delimiter) {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i feed = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i delim = _mm_set1_epi8(delimiter);
  ChunkBits bits;
  __m128i nuls = _mm_setzero_si128();
  for (int i = 0; i < 4; ++i) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    nuls = _mm_or_si128(nuls, _mm_cmpeq_epi8(chunk, _mm_setzero_si128()));
    const auto mask = [&](__m128i wanted) {
      return static_cast<std::uint64_t>(
                 static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, wanted))))
             << (16 * i);
    };
    bits.quotes |= mask(quote);
    bits.feeds |= mask(feed);
    bits.returns |= mask(cr);
    bits.delimiters |= mask(delim);
  }
  bits.nul = _mm_movemask_epi8(nuls) != 0;
  return bits;
}

// Bit i set when byte i is inside quotes (the opening quote included, the
// closing one not), quotes paired as they come; `carry` is all ones when the
// chunk starts inside.
inline std::uint64_t inside_quotes(std::uint64_t quotes, std::uint64_t carry) {
  for (int shift = 1; shift < 64; shift *= 2) {
    quotes ^= quotes << shift;
  }
  return quotes ^ carry;
}

// The set bits of `bits`: a loop per bit, as there are few (the baseline
// x86-64 has no popcount instruction, and the library's costs a call).
inline std::size_t count_bits(std::uint64_t bits) {
  std::size_t count = 0;
  for (; bits != 0; bits &= bits - 1) {
    ++count;
  }
  return count;
}

}  // namespace engine::detail

#endif
