// Tested by tests/unit/test_text.cpp.
#include <engine/text.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

namespace engine {

std::string_view trim_spaces(std::string_view text) {
  std::size_t first = 0;
  std::size_t last = text.size();
  while (first < last && is_trimmed_space(text[first])) {
    ++first;
  }
  while (last > first && is_trimmed_space(text[last - 1])) {
    --last;
  }
  return text.substr(first, last - first);
}

std::string category_key(std::string_view text) {
  std::string key(trim(text));
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return key;
}

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool same_category(std::string_view a, std::string_view b) {
  a = trim(a);
  b = trim(b);
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::size_t CategoryHash::operator()(std::string_view text) const {
  // FNV-1a over the category key's bytes.
  std::size_t hash = 14695981039346656037ULL;
  for (const char c : trim(text)) {
    hash = (hash ^ static_cast<unsigned char>(lower(c))) * 1099511628211ULL;
  }
  return hash;
}

// Optimal string alignment distance: like Levenshtein, but swapping two adjacent
// characters ("scroe" for "score") is one edit, as it is one slip of the fingers.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * width);
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i * width] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t best = std::min({d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1,
                                   d[(i - 1) * width + j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, d[(i - 2) * width + j - 2] + 1);
      }
      d[i * width + j] = best;
    }
  }
  return d[a.size() * width + b.size()];
}

std::optional<std::string> closest_match(std::string_view wanted,
                                         std::span<const std::string> candidates) {
  const std::string wanted_key = category_key(wanted);
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(wanted_key, category_key(candidate));
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // A third of the word (at least one edit) is as far as a typo plausibly goes.
  const std::size_t limit = std::max<std::size_t>(1, wanted_key.size() / 3);
  if (!best || best_distance > limit) {
    return std::nullopt;
  }
  return best;
}

std::string did_you_mean(std::string_view wanted, std::span<const std::string> candidates) {
  const auto match = closest_match(wanted, candidates);
  return match ? " (did you mean " + quote(*match) + "?)" : std::string();
}

namespace {

// "12", "1.5", "-0.25": up to 15 digits, with one point between digits, is a
// whole number of at most 15 digits divided by a power of ten up to 1e15.
// Both are exact doubles, and IEEE division rounds correctly, so the quotient
// is the double nearest the decimal: what std::from_chars gives, faster.
// Anything else (more digits, ".5", "5.", signs, letters) is left to it.
std::optional<double> parse_plain_decimal(std::string_view text) {
  static constexpr double k_powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  constexpr std::size_t k_max_digits = 15;
  const bool negative = !text.empty() && text.front() == '-';
  std::size_t at = negative ? 1 : 0;
  std::uint64_t whole = 0;
  std::size_t digits = 0;
  std::size_t point = std::string_view::npos;
  for (; at < text.size(); ++at) {
    const char c = text[at];
    if (c >= '0' && c <= '9') {
      whole = whole * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
    } else if (c == '.' && point == std::string_view::npos && digits != 0) {
      point = digits;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || digits > k_max_digits || point == digits) {
    return std::nullopt;
  }
  const std::size_t decimals = point == std::string_view::npos ? 0 : digits - point;
  const double value = static_cast<double>(whole) / k_powers[decimals];
  return negative ? -value : value;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (const auto plain = parse_plain_decimal(text)) {
    return plain;
  }
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') {
      return std::nullopt;  // one sign only
    }
  }
  if (text.empty()) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string format_number(double value, std::optional<int> decimals) {
  std::string text;
  append_number(text, value, decimals);
  return text;
}

std::string_view number_text(std::span<char, k_number_chars> buffer, double value,
                             std::optional<int> decimals) {
  char* const begin = buffer.data();
  char* const end = begin + buffer.size();
  if (!decimals && is_simple_number(value)) {
    return {begin, static_cast<std::size_t>(put_simple_number(begin, value) - begin)};
  }
  std::to_chars_result result;
  if (decimals) {
    result = std::to_chars(begin, end, value, std::chars_format::fixed, *decimals);
  } else if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    // Integral values are the common case (scores, days): no ".0", no exponent.
    result = std::to_chars(begin, end, static_cast<long long>(value));
  } else {
    result = std::to_chars(begin, end, value, std::chars_format::general, 12);
  }
  std::string_view text(begin, static_cast<std::size_t>(result.ptr - begin));
  // A value that rounds to zero is written without a sign: "-0.0" would only confuse.
  if (text.front() == '-' && text.find_first_not_of("-0.") == std::string_view::npos) {
    text.remove_prefix(1);
  }
  return text;
}

void append_number(std::string& out, double value, std::optional<int> decimals) {
  char buffer[k_number_chars];
  out += number_text(buffer, value, decimals);
}

std::string quote(std::string_view text) {
  std::string result;
  result.reserve(text.size() + 2);
  result += '\'';
  result += text;
  result += '\'';
  return result;
}

std::string join(std::span<const std::string> items, std::string_view separator) {
  std::string result;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) {
      result += separator;
    }
    result += items[i];
  }
  return result;
}

}  // namespace engine
