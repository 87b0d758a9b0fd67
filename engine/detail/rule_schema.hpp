// The rule-file schema as one table: every key each kind of TOML table may hold,
// its type and whether it is required. The loader checks files against it and
// draws "did you mean" suggestions for unknown keys from it.
#pragma once

#include <span>
#include <string_view>

namespace engine::detail {

enum class KeyType { string, number, integer, table, array, string_or_number };

struct KeySpec {
  std::string_view key;
  KeyType type;
  bool required;
};

// The kinds of table a rule file has, each with its allowed keys.
enum class Section {
  top_level,
  rule_set,
  input,
  table,
  band_set,
  band,
  step,
  output,
  ranking,
  visits,
  pick_up,
  check,
  opel_level,  // [opel.N]: what may be overridden under operational pressure
};

std::span<const KeySpec> keys_of(Section section);

// "a string", "a number", ... for messages.
std::string_view describe(KeyType type);

}  // namespace engine::detail
