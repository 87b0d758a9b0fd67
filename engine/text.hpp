// Small text functions the engine shares: trimming, case-insensitive keys,
// "did you mean" suggestions and the one way numbers are written out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace engine {

// Whether `c` is one of the bytes trim() takes off: space, tab, CR, LF.
constexpr bool is_trimmed_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// trim() for a text that starts or ends with a space.
std::string_view trim_spaces(std::string_view text);

// `text` without leading and trailing spaces, tabs, CR and LF. Inline, as it
// runs on every field a rule reads: most have no space at either end.
inline std::string_view trim(std::string_view text) {
  if (text.empty() || (!is_trimmed_space(text.front()) && !is_trimmed_space(text.back()))) {
    return text;
  }
  return trim_spaces(text);
}

// The key categories are matched on: trimmed, ASCII letters lower-cased.
std::string category_key(std::string_view text);

// Whether two texts are the same category (category_key(a) == category_key(b)),
// without making either key.
bool same_category(std::string_view a, std::string_view b);

// Hashes and compares texts as categories, so that a hash map keyed by
// category can be searched with a raw field (no key string made per lookup).
struct CategoryHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const;
};
struct CategoryEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return same_category(a, b); }
};

// Number of single-character edits (insert, delete, substitute) from a to b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `wanted` (ignoring case), if it is close enough to be
// a plausible typo; otherwise nullopt.
std::optional<std::string> closest_match(std::string_view wanted,
                                         std::span<const std::string> candidates);

// " (did you mean 'x'?)" when there is a close candidate, else "".
std::string did_you_mean(std::string_view wanted, std::span<const std::string> candidates);

// Parses a decimal number (after trimming); nullopt for anything else,
// including empty text, "nan" and "inf".
std::optional<double> parse_number(std::string_view text);

// Writes a number the way every output shows it: integers without a decimal
// point, others with up to 12 significant digits and no trailing zeros; or with
// exactly `decimals` places when given.
std::string format_number(double value, std::optional<int> decimals = std::nullopt);
// The same, appended to `out`: the form the row loops use, making no string.
void append_number(std::string& out, double value, std::optional<int> decimals = std::nullopt);
// Room for any number format_number writes (1e308 with 12 decimals has 322 characters).
inline constexpr std::size_t k_number_chars = 400;
// The same, written into `buffer` (the text is a view into it): for loops
// that write rows through a cursor.
std::string_view number_text(std::span<char, k_number_chars> buffer, double value,
                             std::optional<int> decimals = std::nullopt);

// Most numbers written are whole or in tenths, not negative and below a
// million (scores, days, bands, hours of care): these two write them inline,
// with no call. Such a value has at most seven significant digits, so the
// twelve that number_text rounds to give the same text: whole digits, then
// ".d" unless the tenth is 0.
inline bool is_simple_number(double value) {
  if (!(value >= 0 && value < 1e6)) {
    return false;
  }
  const double tenths = value * 10;
  return tenths == static_cast<double>(static_cast<std::uint32_t>(tenths));
}
// Writes `value` (is_simple_number) at `at`; returns the end.
inline char* put_simple_number(char* at, double value) {
  const auto tenths = static_cast<std::uint32_t>(value * 10);
  std::uint32_t whole = tenths / 10;
  if (whole < 100 && tenths % 10 == 0) {
    // The commonest of all (scores, days, bands): digits from a table of pairs.
    static constexpr char k_pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    const char* pair = k_pairs + 2 * whole;
    if (whole >= 10) {
      *at++ = pair[0];
    }
    *at++ = pair[1];
    return at;
  }
  char digits[8];
  std::size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole != 0);
  while (count != 0) {
    *at++ = digits[--count];
  }
  if (tenths % 10 != 0) {
    *at++ = '.';
    *at++ = static_cast<char>('0' + tenths % 10);
  }
  return at;
}

// 'text' in single quotes, for messages.
std::string quote(std::string_view text);

// Joins items with ", ".
std::string join(std::span<const std::string> items, std::string_view separator = ", ");

}  // namespace engine
